using Shipgate.Delivery.Edge;

namespace Shipgate.Edge.Metrics;

/// <summary>
/// The per-release counters and latency histograms the proxy records (cumulative, lock-free on the hot path).
/// Skeleton: filled by the proxy work.
/// </summary>
public sealed class EdgeMetrics(TimeProvider time)
{
    /// <summary>Every release's counters now.</summary>
    public EdgeMetricsSnapshot Snapshot() => new() { TakenAt = time.GetUtcNow() };

    /// <summary>The same as Prometheus text (labels service, environment, version) for the admin listener's <c>/metrics</c>.</summary>
    public void WritePrometheus(TextWriter writer)
    {
    }
}
