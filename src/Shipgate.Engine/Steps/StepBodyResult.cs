using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Steps;

/// <summary>How the body of a step (its process, action or inner steps) ended, before continue-on-error.</summary>
internal sealed record StepBodyResult(Conclusion Outcome, string? Reason = null)
{
    public static readonly StepBodyResult Success = new(Conclusion.Success);

    public static StepBodyResult Failure(string reason) => new(Conclusion.Failure, reason);
}
