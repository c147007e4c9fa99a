using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary><c>strategy: canary</c>: traffic moves to the new release through <see cref="Steps"/>, in order.</summary>
public sealed record CanaryStrategy(IReadOnlyList<CanaryStep> Steps, SourceLocation? Location) : RolloutStrategy(Location)
{
    /// <summary>Limits that fail the canary at any look, without statistics; <see cref="CanaryGuardrails.Default"/> when none are written.</summary>
    public CanaryGuardrails Guardrails { get; init; } = CanaryGuardrails.Default;

    public override string Name => "canary";

    public override CanaryStrategy AsCanary => this;

    /// <summary>What a failed analysis, guardrail, smoke or health check does. Default rollback.</summary>
    public CanaryFailureAction OnFailure { get; init; } = CanaryFailureAction.Rollback;
}
