using Shipgate.Delivery.Edge;
using Shipgate.Delivery.Rollouts;

namespace Shipgate.Delivery.Tests.Rollouts;

public sealed class ReleaseTrafficTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Between_CountersOfThreeSnapshots_RateOverTheLastLookRatesAndQuantilesSinceTheStart()
    {
        var start = Snapshot(Start, requests: 100, errors: 10, (1000, 100));
        var previous = Snapshot(Start.AddSeconds(9), requests: 400, errors: 10, (1000, 300), (5000, 0), (50000, 0));
        var now = Snapshot(Start.AddSeconds(10), requests: 500, errors: 14, (1000, 300), (5000, 96), (50000, 4));

        var traffic = ReleaseTraffic.Between(start, previous, now, "production", "web", "v2", "canary", 100);

        // 100 requests in the last second; since the start 400 requests, 4 errors; of the 300 latencies measured since,
        // 200 are at most 1 ms, 96 at most 5 ms, 4 at most 50 ms: the median is in the first bucket, the 99th percentile
        // (the 297th) in the third. The mirrored copies count for nothing.
        Assert.Equal(new ReleaseTraffic("v2", "canary", 100, 100, 400, 0.01, 1, 50), traffic);
    }

    [Fact]
    public void Between_NoTraffic_NoRatesAndNoQuantiles()
    {
        var empty = new EdgeMetricsSnapshot { TakenAt = Start };

        Assert.Equal(new ReleaseTraffic("v1", "stable", 900, 0, 0, 0, null, null), ReleaseTraffic.Between(empty, empty, empty, "production", "web", "v1", "stable", 900));
    }

    private static EdgeMetricsSnapshot Snapshot(DateTimeOffset at, long requests, long errors, params (long Upper, long Count)[] buckets) => new()
    {
        TakenAt = at,
        Releases =
        [
            new EdgeReleaseMetrics
            {
                Environment = "production", Service = "web", Version = "v2", Requests = requests, Status5xx = errors,
                Latency = [.. buckets.Select(b => new EdgeHistogramBucket(b.Upper, b.Count))],
            },
            new EdgeReleaseMetrics { Environment = "production", Service = "web", Version = "v2", Mirrored = true, Requests = 999_999 },
        ],
    };
}
