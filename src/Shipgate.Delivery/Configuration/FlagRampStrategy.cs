using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary>
/// <c>strategy: flag: { key, steps }</c>: the release is deployed dark (as rolling deploys it; the flag untouched), then
/// the flag's rollout percentage is raised step by step (<see cref="FlagPercentStep"/>, with pause, analysis and approval
/// steps between) while the requests the service answered with the flag on are compared with those it answered with
/// it off. A failure turns the flag off at once: a rollback without a deploy (docs/flags.md, ADR 0030).
/// </summary>
public sealed record FlagRampStrategy(string Key, IReadOnlyList<CanaryStep> Steps, SourceLocation? Location) : RolloutStrategy(Location)
{
    public override string Name => "flag";

    /// <summary>Limits that fail the ramp at any look, without statistics, on the flag-on requests.</summary>
    public CanaryGuardrails Guardrails { get; init; } = CanaryGuardrails.Default;

    /// <summary>What a failed analysis, guardrail, smoke or health check does: turn the flag off (the default) or freeze.</summary>
    public CanaryFailureAction OnFailure { get; init; } = CanaryFailureAction.Rollback;

    /// <summary>The ramp's steps judged as a canary's are: the same looks, guardrails, verbs and failure action.</summary>
    public CanaryStrategy Judged => new(Steps, Location) { Guardrails = Guardrails, OnFailure = OnFailure };
}
