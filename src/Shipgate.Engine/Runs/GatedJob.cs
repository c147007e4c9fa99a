using Shipgate.Core.Expressions;

namespace Shipgate.Engine.Runs;

/// <summary>A job instance past its gate: the scope (secrets) and variables it runs with, or why it may not run.</summary>
internal sealed record GatedJob(WorkflowScope Scope, ObjectValue Variables, string? Failure);
