using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Shipgate.Edge.Metrics;
using Shipgate.Edge.Tests.Proxy;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Edge.Tests.Metrics;

public sealed partial class EdgeMetricsTests
{
    [Fact]
    public async Task Counters_ParallelLoadThroughTheProxy_AreExact()
    {
        await using var stable = await TestUpstream.StartAsync("stable");
        await using var canary = await TestUpstream.StartAsync("canary");
        await using var proxy = await ProxyHarness.StartAsync(
            ProxyHarness.Table(ProxyHarness.Weights(("v1", 900), ("v2", 100)), ("v1", 900, [stable.Port]), ("v2", 100, [canary.Port])));

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 250; i++)
            {
                var path = i % 10 == 0 ? "/status/404" : "/";
                Assert.NotEqual(0, (await proxy.GetTextAsync("web.staging.localhost", path)).Status);
            }
        }))).DefaultTimeout();

        var releases = proxy.Metrics.Snapshot().Releases;
        Assert.Equal(["v1", "v2"], releases.Select(r => r.Version));
        Assert.Equal(2000, releases.Sum(r => r.Requests));
        Assert.Equal((1800, 200), (releases[0].Requests, releases[1].Requests));
        Assert.Equal(1800, releases.Sum(r => r.Status2xx));
        Assert.Equal(200, releases.Sum(r => r.Status4xx));
        Assert.All(releases, r =>
        {
            Assert.Equal(r.Requests, r.Latency.Sum(b => b.Count));
            Assert.Equal(0, r.InFlight);
            Assert.Equal(("staging", "web", false), (r.Environment, r.Service, r.Mirrored));
        });
    }

    [Fact]
    public void Snapshot_TwoSnapshots_SubtractBucketByBucket()
    {
        var metrics = new EdgeMetrics(new FakeTimeProvider());
        var counters = metrics.For("staging", "web", "v1", mirrored: false);
        Record(counters, 200, 50);
        Record(counters, 200, 3_000);
        var before = metrics.Snapshot().Releases.Single();
        Record(counters, 200, 3_000);
        Record(counters, 500, 2_000_000);
        var after = metrics.Snapshot().Releases.Single();

        var window = after.Latency.Zip(before.Latency, (a, b) => (a.UpperMicros, Count: a.Count - b.Count)).Where(b => b.Count > 0).ToList();

        Assert.Equal([(5_000L, 1L), (2_500_000L, 1L)], window);
        Assert.Equal((2, 1, 1), (after.Requests - before.Requests, after.Status2xx - before.Status2xx, after.Status5xx - before.Status5xx));
        Assert.Equal(before.Latency.Select(b => b.UpperMicros), after.Latency.Select(b => b.UpperMicros));
    }

    [Fact]
    public void Prometheus_Text_ParsesAsTheExpositionFormat()
    {
        var metrics = new EdgeMetrics(new FakeTimeProvider());
        var web = metrics.For("staging", "web", "v1", mirrored: false);
        Record(web, 200, 120);
        Record(web, 503, 80_000);
        metrics.For("staging", "web", "v2", mirrored: true).TransportError(10);
        metrics.For("prod", "api", "odd\"ver\\sion", mirrored: false).TimedOut(100_000_000);
        var text = new StringWriter();

        metrics.WritePrometheus(text);

        var samples = new Dictionary<string, double>();
        var types = new Dictionary<string, string>();
        foreach (var line in text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                types[parts[2]] = parts[3];
                continue;
            }

            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, "Not a sample line: " + line);
            var family = match.Groups["name"].Value;
            Assert.Contains(types.Keys, t => family == t || family.StartsWith(t + "_", StringComparison.Ordinal));
            samples[match.Groups["name"].Value + "{" + match.Groups["labels"].Value + "}"] =
                double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        }

        const string V1 = "service=\"web\",environment=\"staging\",version=\"v1\",mirrored=\"false\"";
        Assert.Equal("histogram", types["shipgate_edge_request_duration_seconds"]);
        Assert.Equal(2, samples["shipgate_edge_requests_total{" + V1 + "}"]);
        Assert.Equal(1, samples["shipgate_edge_responses_total{" + V1 + ",class=\"5xx\"}"]);
        Assert.Equal(1, samples["shipgate_edge_request_duration_seconds_bucket{" + V1 + ",le=\"0.00025\"}"]);
        Assert.Equal(2, samples["shipgate_edge_request_duration_seconds_bucket{" + V1 + ",le=\"+Inf\"}"]);
        Assert.Equal(2, samples["shipgate_edge_request_duration_seconds_count{" + V1 + "}"]);
        Assert.Equal(1, samples["shipgate_edge_transport_errors_total{service=\"web\",environment=\"staging\",version=\"v2\",mirrored=\"true\"}"]);
        const string Odd = "service=\"api\",environment=\"prod\",version=\"odd\\\"ver\\\\sion\",mirrored=\"false\"";
        Assert.Equal(1, samples["shipgate_edge_timeouts_total{" + Odd + "}"]);
    }

    private static void Record(ReleaseCounters counters, int status, long micros)
    {
        counters.Started();
        counters.Answered(status, micros);
    }

    // name{label="value",...} number — label values may hold escaped quotes and backslashes.
    [GeneratedRegex("""
        ^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)
        \{(?<labels>[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*")*)\}
        [ ](?<value>[-+0-9.eE]+|\+Inf|NaN)$
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex SampleLine();
}
