namespace Shipgate.Delivery.Rollouts;

/// <summary>What a person tells a running canary (<c>shipgate promote|abort|pause|resume</c>).</summary>
public enum RolloutVerb
{
    /// <summary>Ends the current pause, analysis or inconclusive or frozen wait: the next step begins.</summary>
    Promote,

    /// <summary>Skips every remaining step: the new release takes all traffic now.</summary>
    PromoteFull,

    /// <summary>All traffic back to stable now, the new release stopped; the deployment is rolled back.</summary>
    Abort,

    /// <summary>Holds the rollout at its current split after the current step; looks and guardrails go on.</summary>
    Pause,

    /// <summary>Ends a <see cref="Pause"/>.</summary>
    Resume,
}
