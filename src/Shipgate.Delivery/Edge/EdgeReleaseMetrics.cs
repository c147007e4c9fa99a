namespace Shipgate.Delivery.Edge;

/// <summary>
/// One release's cumulative counters since the edge started (or since the release was declared), so that any window
/// is the difference of two snapshots. Mirrored requests are counted apart, under <see cref="Mirrored"/>.
/// </summary>
public sealed record EdgeReleaseMetrics
{
    public required string Environment { get; init; }

    public required string Service { get; init; }

    public required string Version { get; init; }

    /// <summary>False for the primary traffic; true for the copies of a mirror.</summary>
    public bool Mirrored { get; init; }

    public long Requests { get; init; }

    public long Status1xx { get; init; }

    public long Status2xx { get; init; }

    public long Status3xx { get; init; }

    public long Status4xx { get; init; }

    public long Status5xx { get; init; }

    /// <summary>Requests that got no answer from the instance (refused, reset); the client got 502.</summary>
    public long TransportErrors { get; init; }

    /// <summary>Requests whose instance did not answer in time; the client got 504.</summary>
    public long Timeouts { get; init; }

    /// <summary>Requests the client abandoned (closed the connection) before the answer.</summary>
    public long Abandoned { get; init; }

    public long InFlight { get; init; }

    /// <summary>
    /// The latency histogram (microseconds, from the request's arrival to the response's headers), cumulative:
    /// each bucket's upper bound and the count of requests at or below it and above the previous bound.
    /// </summary>
    public IReadOnlyList<EdgeHistogramBucket> Latency { get; init; } = [];

    /// <summary>
    /// Per flag and variant, the answers whose <c>X-Shipgate-Flags</c> header named them (primary traffic only; an
    /// answer that names several flags counts under each). Empty when the instances send no such header.
    /// </summary>
    public IReadOnlyList<EdgeFlagMetrics> Flags { get; init; } = [];

    /// <summary>On a mirrored entry whose mirror compares answers: the comparison so far; otherwise null.</summary>
    public EdgeMirrorComparison? Comparison { get; init; }
}
