namespace Shipgate.Delivery.Edge;

/// <summary>Requests whose latency was above the previous bucket's bound and at most <see cref="UpperMicros"/>.</summary>
public sealed record EdgeHistogramBucket(long UpperMicros, long Count);
