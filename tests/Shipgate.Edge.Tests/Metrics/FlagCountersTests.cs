using Shipgate.Delivery.Edge;
using Shipgate.Edge.Metrics;
using Shipgate.Edge.Proxy;
using Shipgate.Edge.Tests.Proxy;
using Shipgate.Edge.Tests.Proxy.Http1;
using Shipgate.Server.Tests.Infrastructure;
using Answer = Shipgate.Edge.Tests.Proxy.Http1.ScriptedUpstream.Answer;

namespace Shipgate.Edge.Tests.Metrics;

/// <summary>The edge counting the <c>X-Shipgate-Flags</c> its instances answer with, on both proxy paths.</summary>
public sealed class FlagCountersTests
{
    private const string Host = "web.staging.localhost";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Answers_WithFlagsHeader_CountedPerFlagAndVariantAndNotPassedOn(bool fastPath)
    {
        await using var upstream = new ScriptedUpstream(head => head.Split(' ')[1] switch
        {
            "/on" => Answer.Ok("on", "X-Shipgate-Flags: checkout=on, banner=blue\r\n"),
            "/off" => Answer.Ok("off", "X-Shipgate-Flags: checkout=off\r\n"),
            "/broken" => new Answer("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nX-Shipgate-Flags: checkout=on\r\n\r\n"),
            _ => Answer.Ok("plain"),
        });
        await using var proxy = await StartAsync(upstream.Port, fastPath);

        foreach (var path in Enumerable.Repeat("/on", 6).Concat(Enumerable.Repeat("/off", 3)).Concat(["/plain", "/plain", "/broken"]))
        {
            using var response = await proxy.GetAsync(Host, path);
            Assert.False(response.Headers.Contains(FlagCounters.HeaderName));
        }

        // The edge counts an answer once it is written to the client, so the last may come just after the client has it.
        var release = await CountedAsync(proxy, 12);
        Assert.Equal(
            [("banner", "blue", 6L, 6L, 0L), ("checkout", "off", 3L, 3L, 0L), ("checkout", "on", 7L, 6L, 1L)],
            release.Flags.Select(f => (f.Key, f.Variant, f.Requests, f.Status2xx, f.Status5xx)));
        Assert.All(release.Flags, f => Assert.Equal(f.Requests, f.Latency.Sum(b => b.Count)));
        Assert.Equal(release.Latency.Select(b => b.UpperMicros), release.Flags[0].Latency.Select(b => b.UpperMicros));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task HostileInstance_ThousandsOfKeysVariantsAndGiantValues_CountersStayBounded(bool fastPath)
    {
        var thousandKeys = string.Join(", ", Enumerable.Range(0, 1000).Select(i => $"key{i}=v"));
        var giant = new string('x', 5000);
        await using var upstream = new ScriptedUpstream(head =>
        {
            var path = head.Split(' ')[1];
            return path == "/flood"
                ? Answer.Ok("", $"X-Shipgate-Flags: {thousandKeys}\r\nX-Shipgate-Flags: {giant}=on, big={giant}\r\n")
                : Answer.Ok("", $"X-Shipgate-Flags: checkout=variant{path[1..]}, new{path[1..]}=on, {giant}=on\r\n");
        });
        await using var proxy = await StartAsync(upstream.Port, fastPath);

        for (var i = 0; i < 50; i++)
        {
            using var response = await proxy.GetAsync(Host, "/" + i);
            Assert.True(response.IsSuccessStatusCode);
        }

        for (var i = 0; i < 5; i++)
        {
            using var response = await proxy.GetAsync(Host, "/flood");
            Assert.True(response.IsSuccessStatusCode);
        }

        var flags = (await CountedAsync(proxy, 55)).Flags;
        var keys = flags.GroupBy(f => f.Key).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(FlagCounters.MaxKeys + 1, keys.Count);
        Assert.All(keys.Values, variants => Assert.True(variants.Count <= FlagCounters.MaxVariants + 1));
        Assert.All(flags, f => Assert.True(f.Key.Length <= 64 && f.Variant.Length <= 64));
        // checkout took the first ten variants by name, the other forty under (other).
        Assert.Equal(10, keys["checkout"].Count(f => f.Variant != FlagCounters.Other));
        Assert.Equal(40, keys["checkout"].Single(f => f.Variant == FlagCounters.Other).Requests);
        // new0..new18 took the other key slots; new19..new49 and every flood answer are one bucket, once per answer.
        Assert.Equal(31 + 5, keys[FlagCounters.Other].Single().Requests);
        Assert.DoesNotContain("big", keys.Keys);
    }

    [Fact]
    public async Task MirroredAnswers_WithFlagsHeader_NotCounted()
    {
        await using var primary = new ScriptedUpstream(_ => Answer.Ok("primary", "X-Shipgate-Flags: checkout=on\r\n"));
        await using var shadow = new ScriptedUpstream(_ => Answer.Ok("shadow", "X-Shipgate-Flags: checkout=off\r\n"));
        var routing = ProxyHarness.Weights(("v1", 1000), ("v2", 0)) with { Mirror = new EdgeMirrorSpec { Version = "v2", Permille = 1000 } };
        await using var proxy = await ProxyHarness.StartAsync(ProxyHarness.Table(routing, ("v1", 1000, [primary.Port]), ("v2", 0, [shadow.Port])));

        using var response = await proxy.GetAsync(Host, "/");
        await TestTimeouts.EventuallyAsync(
            () => Task.FromResult(proxy.Metrics.Snapshot().Releases.Count(r => r.Requests == 1) == 2 ? "" : null),
            "the answer and the copy's counted");

        var releases = proxy.Metrics.Snapshot().Releases;
        var primaryFlags = releases.Single(r => !r.Mirrored && r.Version == "v1").Flags;
        Assert.Equal(("checkout", "on", 1L), primaryFlags.Select(f => (f.Key, f.Variant, f.Requests)).Single());
        Assert.Empty(releases.Single(r => r.Mirrored).Flags);
    }

    [Fact]
    public async Task Prometheus_FlagsCounted_WrittenPerFlagAndVariant()
    {
        await using var upstream = new ScriptedUpstream(_ => Answer.Ok("on", "X-Shipgate-Flags: checkout=on\r\n"));
        await using var proxy = await StartAsync(upstream.Port, fastPath: true);
        for (var i = 0; i < 3; i++)
        {
            using var response = await proxy.GetAsync(Host, "/");
        }

        await CountedAsync(proxy, 3);
        var text = new StringWriter();
        proxy.Metrics.WritePrometheus(text);

        const string Labels = "service=\"web\",environment=\"staging\",version=\"v1\",mirrored=\"false\",flag=\"checkout\",variant=\"on\"";
        Assert.Contains($"\nshipgate_edge_flag_requests_total{{{Labels}}} 3\n", text.ToString(), StringComparison.Ordinal);
        Assert.Contains($"\nshipgate_edge_flag_responses_total{{{Labels},class=\"2xx\"}} 3\n", text.ToString(), StringComparison.Ordinal);
        Assert.Contains($"\nshipgate_edge_flag_request_duration_seconds_count{{{Labels}}} 3\n", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("# TYPE shipgate_edge_flag_request_duration_seconds histogram\n", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Count_MalformedPairs_OnlyValidOnesCounted()
    {
        var flags = new FlagCounters();

        flags.Count(" a = b ,, =x, y=, c=d=e, nothing, ok=yes\t, ü=1, " + new string('k', 65) + "=v", 200, 1_000);

        Assert.Equal([("a", "b"), ("ok", "yes")], flags.Read().Select(f => (f.Key, f.Variant)));
    }

    private static Task<EdgeReleaseMetrics> CountedAsync(ProxyHarness proxy, long requests) => TestTimeouts.EventuallyAsync(
        () => Task.FromResult(proxy.Metrics.Snapshot().Releases.SingleOrDefault(r => r.Requests == requests)), $"{requests} requests counted");

    private static Task<ProxyHarness> StartAsync(int port, bool fastPath) => ProxyHarness.StartAsync(
        ProxyHarness.Table(ProxyHarness.Weights(("v1", 1000)), ("v1", 1000, [port])), new EdgeProxyOptions { FastPath = fastPath });
}
