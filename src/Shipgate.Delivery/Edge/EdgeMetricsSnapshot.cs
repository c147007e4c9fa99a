namespace Shipgate.Delivery.Edge;

/// <summary><c>GET /v1/metrics</c>: every release's counters at one instant.</summary>
public sealed record EdgeMetricsSnapshot
{
    public required DateTimeOffset TakenAt { get; init; }

    public IReadOnlyList<EdgeReleaseMetrics> Releases { get; init; } = [];
}
