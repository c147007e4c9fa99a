namespace Shipgate.Delivery.Edge;

/// <summary>
/// A release's cumulative counters for the answers whose <c>X-Shipgate-Flags</c> header named this flag and variant
/// (the flag-ramp strategy compares a flag's variants with them). The edge counts at most 20 keys per release and 10
/// variants per key by name; the rest are counted under the key or variant <c>(other)</c>.
/// </summary>
public sealed record EdgeFlagMetrics
{
    public required string Key { get; init; }

    public required string Variant { get; init; }

    public long Requests { get; init; }

    public long Status1xx { get; init; }

    public long Status2xx { get; init; }

    public long Status3xx { get; init; }

    public long Status4xx { get; init; }

    public long Status5xx { get; init; }

    /// <summary>The latency histogram, in the same buckets as <see cref="EdgeReleaseMetrics.Latency"/>.</summary>
    public IReadOnlyList<EdgeHistogramBucket> Latency { get; init; } = [];
}
