using Shipgate.Delivery.Analysis;
using Shipgate.Delivery.Edge;

namespace Shipgate.Delivery.Tests.Analysis;

public sealed class QuantileBoundsTests
{
    [Fact]
    public void Bounds_EmptyHistogram_BoundNothing()
    {
        Assert.Equal(0, QuantileBounds.Lower([], 0.5, 0.01));
        Assert.Equal(long.MaxValue, QuantileBounds.Upper([], 0.5, 0.01));
        Assert.Equal((0, 0), QuantileBounds.Observed([], 0.99));
    }

    [Fact]
    public void Bounds_ManyRequests_AreTheBucketEdgesAroundTheQuantile()
    {
        // 10,000 requests: 40% ≤ 1 ms, 50% in (1, 2.5] ms, 9.5% in (2.5, 5] ms, 0.5% in (5, 10] ms.
        EdgeHistogramBucket[] buckets = [new(1_000, 4_000), new(2_500, 5_000), new(5_000, 950), new(10_000, 50)];

        Assert.Equal(1_000, QuantileBounds.Lower(buckets, 0.5, 0.01));
        Assert.Equal(2_500, QuantileBounds.Upper(buckets, 0.5, 0.01));
        Assert.Equal(2_500, QuantileBounds.Lower(buckets, 0.99, 0.01));
        Assert.Equal(5_000, QuantileBounds.Upper(buckets, 0.99, 0.01));
        Assert.Equal((2_500, 5_000), QuantileBounds.Observed(buckets, 0.99));
    }

    [Theory]
    [InlineData(40, 0.5, 0.05)]
    [InlineData(500, 0.5, 0.01)]
    [InlineData(3_000, 0.99, 0.0125)]
    [InlineData(77, 0.9, 0.2)]
    public void Bounds_OneRequestPerBucket_AreTheOrderStatisticsOfADirectScanOfTheMixture(int total, double p, double delta)
    {
        // One request per bucket, bucket i ending at i + 1: the bound is then the order statistic itself. The reference
        // scans every count s with Math.Pow instead of a binary search in logs.
        var buckets = Enumerable.Range(1, total).Select(i => new EdgeHistogramBucket(i, 1)).ToList();
        var logit = Math.Log(p / (1 - p));
        var distances = Enumerable.Range(0, 24).Select(i => 0.02 * Math.Pow(4 / 0.02, i / 23.0)).ToList();
        double Mixture(long s, bool below) => distances.Average(d =>
        {
            var q = 1 / (1 + Math.Exp(-(below ? logit - d : logit + d)));
            return Math.Pow(q / p, s) * Math.Pow((1 - q) / (1 - p), total - s);
        });

        var fewest = Enumerable.Range(0, total + 1).FirstOrDefault(s => Mixture(s, below: true) < 1 / delta, total + 1);
        var most = Enumerable.Range(0, total + 1).LastOrDefault(s => Mixture(s, below: false) < 1 / delta, -1);

        Assert.Equal(fewest == 0 || fewest > total ? 0 : fewest - 1, QuantileBounds.Lower(buckets, p, delta));
        Assert.Equal(most + 1 > total ? long.MaxValue : most + 1, QuantileBounds.Upper(buckets, p, delta));
    }

    [Fact]
    public void Bounds_LookedAtAfterEveryHundredRequests_ContainTheTrueQuantileInAllButDeltaOfSequences()
    {
        // Exponential latencies with mean 10 ms: the true p99 is 10 ms · ln 100 = 46.05 ms. A sequence misses when, at
        // any of its 50 looks, a bound excludes the truth; time-uniform bounds allow that for at most δ of them.
        const double Delta = 0.05;
        var truth = 10_000 * Math.Log(100);
        var random = new Random(5);
        var missed = 0;
        for (var sequence = 0; sequence < 200; sequence++)
        {
            var counts = new long[SimulatedEdge.Buckets.Length];
            var miss = false;
            for (var look = 0; look < 50 && !miss; look++)
            {
                for (var i = 0; i < 100; i++)
                {
                    var micros = (long)(-10_000 * Math.Log(1 - random.NextDouble()));
                    counts[Array.FindIndex(SimulatedEdge.Buckets, b => micros <= b)]++;
                }

                var buckets = SimulatedEdge.Buckets.Select((b, i) => new EdgeHistogramBucket(b, counts[i])).ToList();
                miss = QuantileBounds.Lower(buckets, 0.99, Delta / 2) > truth || QuantileBounds.Upper(buckets, 0.99, Delta / 2) < truth;
            }

            missed += miss ? 1 : 0;
        }

        Assert.InRange(missed / 200.0, 0, Delta);
    }
}
