namespace Shipgate.Delivery.Configuration;

/// <summary><c>on-failure</c> of a canary: what a failed analysis, guardrail, smoke check or health check does.</summary>
public enum CanaryFailureAction
{
    /// <summary>All traffic back to stable at once, the canary drained and stopped (the default).</summary>
    Rollback,

    /// <summary>
    /// The split is held as it is and the deployment pauses until a person promotes or aborts it: for releases
    /// whose migrations cannot be undone.
    /// </summary>
    Freeze,
}
