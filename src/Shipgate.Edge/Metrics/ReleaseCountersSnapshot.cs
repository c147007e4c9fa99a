using Shipgate.Delivery.Edge;

namespace Shipgate.Edge.Metrics;

/// <summary>
/// One read of a <see cref="ReleaseCounters"/>: status classes 1xx to 5xx in order, latency per
/// <see cref="LatencyBuckets"/>, then the mirror comparison (mirrored entries) and the flags' counters.
/// </summary>
internal sealed record ReleaseCountersSnapshot(
    ReleaseCounters Release,
    long Requests,
    long[] StatusClasses,
    long TransportErrors,
    long Timeouts,
    long Abandoned,
    long InFlight,
    long SumMicros,
    long[] Buckets,
    EdgeMirrorComparison? Comparison,
    IReadOnlyList<FlagCountersSnapshot> Flags);
