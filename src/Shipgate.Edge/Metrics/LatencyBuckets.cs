namespace Shipgate.Edge.Metrics;

/// <summary>
/// The fixed bucket layout of every latency histogram the edge exposes (JSON and Prometheus): upper bounds in
/// microseconds on a 1-2.5-5 log scale from 100 µs to 60 s, then everything above. Fixed, so two snapshots of the
/// same release subtract bucket by bucket into the histogram of the window between them.
/// </summary>
internal static class LatencyBuckets
{
    /// <summary>The upper bounds in microseconds; the last, <see cref="long.MaxValue"/>, is Prometheus' <c>+Inf</c>.</summary>
    public static readonly long[] UpperMicros =
    [
        100, 250, 500,
        1_000, 2_500, 5_000,
        10_000, 25_000, 50_000,
        100_000, 250_000, 500_000,
        1_000_000, 2_500_000, 5_000_000,
        10_000_000, 30_000_000, 60_000_000,
        long.MaxValue,
    ];

    /// <summary>The index of the bucket that holds <paramref name="micros"/>.</summary>
    public static int IndexOf(long micros)
    {
        var bounds = UpperMicros;
        var i = 0;
        while (micros > bounds[i])
        {
            i++;
        }

        return i;
    }
}
