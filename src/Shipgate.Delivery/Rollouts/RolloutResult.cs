using Shipgate.Delivery.Edge;

namespace Shipgate.Delivery.Rollouts;

/// <summary>What a rollout did: its status, why it failed, each step, and the edge's counters at the end.</summary>
public sealed record RolloutResult
{
    public required RolloutStatus Status { get; init; }

    /// <summary>Why it failed or was rolled back, in one sentence; null when it succeeded.</summary>
    public string? Reason { get; init; }

    public required IReadOnlyList<RolloutStep> Steps { get; init; }

    /// <summary>The version that served before; null on a service's first deployment.</summary>
    public string? PreviousVersion { get; init; }

    /// <summary>Blue-green: until when the previous release stays warm at weight 0 (then it is stopped); null when it was stopped already or there is none.</summary>
    public DateTimeOffset? KeepPreviousUntil { get; init; }

    /// <summary>The edge's counters of the new and previous versions at the end; null when the edge could not give them.</summary>
    public IReadOnlyList<EdgeReleaseMetrics> Metrics { get; init; } = [];
}
