using Shipgate.Delivery.Edge;

namespace Shipgate.Delivery.Analysis;

/// <summary>
/// A release's answered requests, errors and latency histogram, cumulative or over a window. An error is a 5xx, a
/// transport error or a timeout; a request the client abandoned has no outcome and counts in neither.
/// </summary>
internal sealed record ReleaseCounts(long Answered, long Errors, IReadOnlyList<EdgeHistogramBucket> Latency)
{
    public static readonly ReleaseCounts Zero = new(0, 0, []);

    public double ErrorRate => Answered == 0 ? 0 : (double)Errors / Answered;

    /// <summary>The counts of <paramref name="version"/>'s primary traffic in <paramref name="snapshot"/>; zero when it has none.</summary>
    public static ReleaseCounts Of(EdgeMetricsSnapshot snapshot, CanarySubject subject, string version) =>
        snapshot.Releases.FirstOrDefault(r =>
            !r.Mirrored && r.Environment == subject.Environment && r.Service == subject.Service && r.Version == version) is { } r
            ? new(r.Requests - r.Abandoned, r.Status5xx + r.TransportErrors + r.Timeouts, r.Latency)
            : Zero;

    /// <summary>
    /// The counts of <paramref name="subject"/>'s flag in its release's primary traffic: the answers that named the control
    /// variant (<paramref name="on"/> false) or any other variant (true). Variants the edge counted as <c>(other)</c> are
    /// on neither side; a flag answer's errors are its 5xx (an answer that did not come has no header to count).
    /// </summary>
    public static ReleaseCounts OfFlag(EdgeMetricsSnapshot snapshot, CanarySubject subject, bool on)
    {
        var flag = subject.Flag!;
        var counts = Zero;
        var release = snapshot.Releases.FirstOrDefault(r =>
            !r.Mirrored && r.Environment == subject.Environment && r.Service == subject.Service && r.Version == subject.CanaryVersion);
        foreach (var variant in release?.Flags ?? [])
        {
            if (variant.Key == flag.Key && variant.Variant != OtherName && (variant.Variant != flag.ControlVariant) == on)
            {
                counts = counts.Plus(new(variant.Requests, variant.Status5xx, variant.Latency));
            }
        }

        return counts;
    }

    /// <summary>The name under which the edge counts the keys and variants beyond its bounds.</summary>
    internal const string OtherName = "(other)";

    /// <summary>This minus <paramref name="earlier"/>, bucket by bucket; null when a counter went down (the edge restarted).</summary>
    public ReleaseCounts? Since(ReleaseCounts earlier)
    {
        var latency = Combine(Latency, earlier.Latency, -1);
        return Answered < earlier.Answered || Errors < earlier.Errors || latency.Any(b => b.Count < 0)
            ? null
            : new(Answered - earlier.Answered, Errors - earlier.Errors, latency);
    }

    public ReleaseCounts Plus(ReleaseCounts other) => new(Answered + other.Answered, Errors + other.Errors, Combine(Latency, other.Latency, 1));

    private static List<EdgeHistogramBucket> Combine(IReadOnlyList<EdgeHistogramBucket> a, IReadOnlyList<EdgeHistogramBucket> b, int sign)
    {
        var counts = new SortedDictionary<long, long>();
        foreach (var bucket in a)
        {
            counts[bucket.UpperMicros] = counts.GetValueOrDefault(bucket.UpperMicros) + bucket.Count;
        }

        foreach (var bucket in b)
        {
            counts[bucket.UpperMicros] = counts.GetValueOrDefault(bucket.UpperMicros) + (sign * bucket.Count);
        }

        return [.. counts.Select(c => new EdgeHistogramBucket(c.Key, c.Value))];
    }
}
