namespace Shipgate.Edge.Metrics;

/// <summary>One read of a flag variant's counters: status classes 1xx to 5xx in order, latency per <see cref="LatencyBuckets"/>.</summary>
internal sealed record FlagCountersSnapshot(string Key, string Variant, long Requests, long[] StatusClasses, long SumMicros, long[] Buckets);
