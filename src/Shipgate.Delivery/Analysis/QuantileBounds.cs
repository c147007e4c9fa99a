using Shipgate.Delivery.Edge;

namespace Shipgate.Delivery.Analysis;

/// <summary>
/// Time-uniform confidence bounds for a latency quantile from the edge's histogram, after Howard &amp; Ramdas
/// ("Sequential estimation of quantiles with applications to A/B-testing and best-arm identification", Bernoulli
/// 2022): the count s of requests at or below the true quantile q_p is a sum of Bernoulli(p) draws, so a one-sided
/// mixture of Bernoulli likelihood ratios (alternatives p' on one side of p, log-spaced in logit) is a martingale that
/// reaches 1/δ with probability at most δ at any time. Inverting it gives, at every look at once, the fewest (or the
/// most) requests that can lie at or below q_p, hence an order statistic that bounds q_p; the bound is the edge of
/// that order statistic's bucket, so the histogram's coarseness makes it wider, never wrong.
/// </summary>
internal static class QuantileBounds
{
    /// <summary>Logit distances of the alternatives from p: 24, log-spaced from 0.02 to 4.</summary>
    private static readonly double[] Distances = ErrorRateTest.LogSpaced(0.02, 4, 24);

    /// <summary>
    /// A lower bound, in microseconds, that holds for the <paramref name="quantile"/> at every look with probability
    /// at least 1 − <paramref name="delta"/>; 0 when the data cannot bound it yet.
    /// </summary>
    public static long Lower(IReadOnlyList<EdgeHistogramBucket> buckets, double quantile, double delta)
    {
        var total = buckets.Sum(b => b.Count);
        var alternatives = Alternatives(quantile, below: true);

        // The mixture over p' < p falls as s grows: the fewest requests at or below q_p is the smallest s it allows.
        var (lo, hi) = (0L, total + 1);
        while (lo < hi)
        {
            var s = lo + ((hi - lo) / 2);
            if (LogMixture(alternatives, s, total) < -Math.Log(delta))
            {
                hi = s;
            }
            else
            {
                lo = s + 1;
            }
        }

        // At least `lo` requests are at or below q_p, so the lo-th smallest is too: q_p is at least its bucket's floor.
        return lo == 0 || lo > total ? 0 : BucketOf(buckets, lo).Floor;
    }

    /// <summary>
    /// An upper bound, in microseconds, that holds for the <paramref name="quantile"/> at every look with probability
    /// at least 1 − <paramref name="delta"/>; <see cref="long.MaxValue"/> when the data cannot bound it yet.
    /// </summary>
    public static long Upper(IReadOnlyList<EdgeHistogramBucket> buckets, double quantile, double delta)
    {
        var total = buckets.Sum(b => b.Count);
        var alternatives = Alternatives(quantile, below: false);

        // The mixture over p' > p grows with s: the most requests below q_p is the largest s it allows.
        var (lo, hi) = (-1L, total);
        while (lo < hi)
        {
            var s = hi - ((hi - lo) / 2);
            if (LogMixture(alternatives, s, total) < -Math.Log(delta))
            {
                lo = s;
            }
            else
            {
                hi = s - 1;
            }
        }

        // At most `lo` requests are below q_p, so the (lo + 1)-th smallest is at or above it, and so is its bucket's ceiling.
        return lo + 1 > total ? long.MaxValue : BucketOf(buckets, lo + 1).Ceiling;
    }

    /// <summary>The bucket of the histogram's own quantile: the record shows its ceiling as p50 or p99; (0, 0) when empty.</summary>
    public static (long Floor, long Ceiling) Observed(IReadOnlyList<EdgeHistogramBucket> buckets, double quantile)
    {
        var total = buckets.Sum(b => b.Count);
        return total == 0 ? (0, 0) : BucketOf(buckets, Math.Max(1, (long)Math.Ceiling(quantile * total)));
    }

    /// <summary>The bucket that holds the <paramref name="rank"/>-th smallest latency (1-based), with its floor and ceiling.</summary>
    private static (long Floor, long Ceiling) BucketOf(IReadOnlyList<EdgeHistogramBucket> buckets, long rank)
    {
        var (seen, floor) = (0L, 0L);
        foreach (var bucket in buckets.OrderBy(b => b.UpperMicros))
        {
            seen += bucket.Count;
            if (seen >= rank)
            {
                return (floor, bucket.UpperMicros);
            }

            floor = bucket.UpperMicros;
        }

        throw new ArgumentOutOfRangeException(nameof(rank), "The rank is past the histogram's count.");
    }

    /// <summary>Each alternative's log-likelihood ratio per request at or below q_p, and per request above it.</summary>
    private static (double Below, double Above)[] Alternatives(double p, bool below)
    {
        var logit = Math.Log(p / (1 - p));
        return
        [
            .. Distances.Select(d =>
            {
                var alternative = 1 / (1 + Math.Exp(-(below ? logit - d : logit + d)));
                return (Math.Log(alternative / p), Math.Log((1 - alternative) / (1 - p)));
            }),
        ];
    }

    private static double LogMixture((double Below, double Above)[] alternatives, long below, long total)
    {
        var max = double.NegativeInfinity;
        foreach (var (b, a) in alternatives)
        {
            max = Math.Max(max, (below * b) + ((total - below) * a));
        }

        var sum = 0.0;
        foreach (var (b, a) in alternatives)
        {
            sum += Math.Exp((below * b) + ((total - below) * a) - max);
        }

        return max + Math.Log(sum / alternatives.Length);
    }
}
