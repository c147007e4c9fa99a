using Shipgate.Delivery.Analysis;

namespace Shipgate.Delivery.Rollouts;

/// <summary>Where a canary, shadow or flag-ramp rollout stands, published at each step and look (the live view of <c>shipgate rollout status</c>).</summary>
public sealed record CanaryProgress
{
    /// <summary>The step under way, from 1; 0 before the first and <see cref="Steps"/> + 1 once the steps are done.</summary>
    public required int Step { get; init; }

    public required int Steps { get; init; }

    /// <summary>The current step's kind (weight, pause, analysis, approval, mirror, header-route; mirror for a shadow), or start, promote, done.</summary>
    public required string StepKind { get; init; }

    public required string StableVersion { get; init; }

    public required string CanaryVersion { get; init; }

    /// <summary>The canary's share of live traffic, per mille; in a flag ramp, the flag's rollout percentage, per mille.</summary>
    public required int CanaryPermille { get; init; }

    /// <summary>The key of the flag a flag ramp raises (both versions are then the release that serves); null for a canary or shadow.</summary>
    public string? Flag { get; init; }

    /// <summary>The mirror's share copied to the canary, per mille; 0 when none.</summary>
    public int MirrorPermille { get; init; }

    /// <summary>Header routes to the canary, as <c>Name: value</c>.</summary>
    public IReadOnlyList<string> HeaderRoutes { get; init; } = [];

    /// <summary>Why the rollout waits for a person (promote, resume, abort); null while it goes on by itself.</summary>
    public string? WaitingFor { get; init; }

    /// <summary>Stable's and the canary's live traffic at the latest look; empty before the first.</summary>
    public IReadOnlyList<ReleaseTraffic> Traffic { get; init; } = [];

    /// <summary>The comparison of the current (or latest) shadow phase; null when no phase compared answers.</summary>
    public ShadowReport? Shadow { get; init; }

    /// <summary>The latest look's decision; null before the first look.</summary>
    public AnalysisDecision? LastDecision { get; init; }

    /// <summary>Which mode decides the rollout's approval steps: delivery (people) or deployment (the automated gates).</summary>
    public required string Mode { get; init; }
}
