using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Steps;

/// <summary>How a step ended: outcome (before continue-on-error), conclusion (after), reason and outputs.</summary>
internal sealed record StepOutcome(Conclusion Outcome, Conclusion Conclusion, string? Reason, IReadOnlyDictionary<string, string> Outputs);
