namespace Shipgate.Delivery.Rollouts;

/// <summary>How one step of a rollout ended.</summary>
public enum RolloutStepOutcome
{
    Succeeded,
    Failed,

    /// <summary>Not needed this time (the edge had the artifact; nothing ran before).</summary>
    Skipped,
}
