namespace Shipgate.Delivery.Analysis;

/// <summary>Where a canary stands after a look.</summary>
public enum AnalysisOutcome
{
    /// <summary>No decision yet: keep going.</summary>
    Continue,

    /// <summary>The analysis step's window ended and every metric passed.</summary>
    Passed,

    /// <summary>A test, a guardrail or a provider says the canary is worse: roll back.</summary>
    Failed,

    /// <summary>The window ended without enough evidence either way; the step's on-inconclusive policy decides.</summary>
    Inconclusive,
}
