using Shipgate.Core.Expressions;

namespace Shipgate.Engine.Runs;

/// <summary>One instance of a job to run: a plain job, or one leg of its matrix.</summary>
internal sealed record JobLeg(string Key, string Name, ExpressionValue Matrix, ObjectValue Strategy, string? MatrixJson);
