using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary><c>strategy: canary</c>: traffic moves to the new release through <see cref="Steps"/>, in order.</summary>
public sealed record CanaryStrategy(IReadOnlyList<CanaryStep> Steps, SourceLocation? Location) : RolloutStrategy(Location)
{
    public override string Name => "canary";

    /// <summary>What a failed analysis, guardrail, smoke or health check does. Default rollback.</summary>
    public CanaryFailureAction OnFailure { get; init; } = CanaryFailureAction.Rollback;
}
