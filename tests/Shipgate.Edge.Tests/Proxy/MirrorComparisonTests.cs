using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Shipgate.Delivery.Edge;
using Shipgate.Edge.Proxy;
using Shipgate.Edge.Routing;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Edge.Tests.Proxy;

/// <summary>The edge compares each mirrored copy's answer with the primary answer to the same request (the shadow strategy).</summary>
public sealed class MirrorComparisonTests
{
    private const string Host = "web.staging.localhost";

    /// <summary>
    /// A proxy sending web.staging.localhost to v1 on <paramref name="primary"/>, copying every GET to v2 on
    /// <paramref name="shadow"/> and comparing the answers; v2's instances get <paramref name="variables"/>.
    /// </summary>
    private static Task<ProxyHarness> StartAsync(EdgeMirrorCompare compare, TestUpstream primary, TestUpstream shadow,
        EdgeProxyOptions? options = null, IReadOnlyDictionary<string, string>? variables = null)
    {
        var mirror = new EdgeMirrorSpec { Version = "v2", Permille = 1000, Compare = compare };
        var table = ProxyHarness.Table(
            ProxyHarness.Weights(("v1", 1000), ("v2", 0)) with { Mirror = mirror }, ("v1", 1000, [primary.Port]), ("v2", 0, [shadow.Port]));
        var service = table.Services[0];
        var releases = service.Releases.Select(r => r.Version == "v2" ? r with { Variables = variables ?? new Dictionary<string, string>() } : r);
        return ProxyHarness.StartAsync(new RouteTable([service with { Releases = [.. releases] }]), options);
    }

    /// <summary>The comparison on v2's mirrored entry once <paramref name="pairs"/> pairs are counted (compared or not).</summary>
    private static Task<EdgeMirrorComparison> ComparisonAsync(ProxyHarness proxy, int pairs) =>
        TestTimeouts.EventuallyAsync(
            () => Task.FromResult(proxy.Metrics.Snapshot().Releases.Single(r => r.Mirrored).Comparison is { } c
                && c.Compared + c.NotCompared >= pairs ? c : null),
            $"{pairs} pair(s) to be judged");

    private static Func<HttpContext, Task> Answer(int status, string body, string contentType = "application/json") => async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body, context.RequestAborted);
    };

    [Fact]
    public async Task Compare_StatusClassDiffers_StatusMismatchInMetricsAndPrometheus()
    {
        await using var primary = await TestUpstream.StartAsync("primary");
        await using var shadow = await TestUpstream.StartAsync("shadow");
        shadow.Routes["/orders"] = Answer(500, "boom", "text/plain");
        await using var proxy = await StartAsync(new EdgeMirrorCompare(), primary, shadow);

        Assert.Equal((200, "v1", "primary"), await proxy.GetTextAsync(Host, "/orders"));
        await ComparisonAsync(proxy, 1);
        // 404 on both sides: the same class, no mismatch.
        Assert.Equal(404, (await proxy.GetTextAsync(Host, "/status/404")).Status);
        var comparison = await ComparisonAsync(proxy, 2);

        Assert.Equal((2L, 1L, 1L, 0L, 0L, 0L),
            (comparison.Compared, comparison.Mismatched, comparison.StatusMismatches, comparison.LatencyMismatches,
                comparison.BodyMismatches, comparison.NotCompared));
        var example = Assert.Single(comparison.Examples);
        Assert.Equal(("GET", "/orders", 200, (int?)500, "status"),
            (example.Method, example.Path, example.PrimaryStatus, example.MirrorStatus, Assert.Single(example.Differences)));
        Assert.Null(example.PrimaryBody);
        var text = new StringWriter();
        proxy.Metrics.WritePrometheus(text);
        const string Labels = "service=\"web\",environment=\"staging\",version=\"v2\",mirrored=\"true\"";
        Assert.Contains("shipgate_edge_mirror_compared_total{" + Labels + "} 2\n", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("shipgate_edge_mirror_mismatched_total{" + Labels + "} 1\n", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("shipgate_edge_mirror_mismatches_total{" + Labels + ",difference=\"status\"} 1\n", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("shipgate_edge_mirror_mismatches_total{" + Labels + ",difference=\"body\"} 0\n", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("shipgate_edge_mirror_not_compared_total{" + Labels + "} 0\n", text.ToString(), StringComparison.Ordinal);
        Assert.Null(proxy.Metrics.Snapshot().Releases.Single(r => !r.Mirrored && r.Version == "v1").Comparison);
    }

    [Fact]
    public async Task Compare_BodiesDiffer_OnlyTheRouteInBodyPathsMismatches()
    {
        await using var primary = await TestUpstream.StartAsync("primary");
        await using var shadow = await TestUpstream.StartAsync("shadow");
        await using var proxy = await StartAsync(new EdgeMirrorCompare { BodyPaths = ["/api/*/items"] }, primary, shadow);

        // Every path answers the instance's name: "primary" against "shadow".
        await proxy.GetTextAsync(Host, "/other");
        await proxy.GetTextAsync(Host, "/api/7/items");
        var comparison = await ComparisonAsync(proxy, 2);

        Assert.Equal((2L, 1L, 1L), (comparison.Compared, comparison.Mismatched, comparison.BodyMismatches));
        var example = Assert.Single(comparison.Examples);
        Assert.Equal(("/api/7/items", "body", "byte 0", "primary", "shadow"),
            (example.Path, Assert.Single(example.Differences), example.BodyDifference, example.PrimaryBody, example.MirrorBody));
    }

    [Fact]
    public async Task Compare_JsonDiffersOnlyInIgnoredFields_Matches()
    {
        await using var primary = await TestUpstream.StartAsync("primary");
        await using var shadow = await TestUpstream.StartAsync("shadow");
        primary.Routes["/api/order"] = Answer(200, """{"id":7,"total":12.50,"at":"2026-12-07T20:00:00Z","meta":{"requestId":"a1"}}""");
        shadow.Routes["/api/order"] = Answer(200, """{"meta":{"requestId":"b2"},"at":"2026-12-07T20:00:01Z","total":12.5,"id":7}""");
        primary.Routes["/api/cart"] = Answer(200, """{"items":[{"sku":"x","at":1}],"total":3}""");
        shadow.Routes["/api/cart"] = Answer(200, """{"items":[{"sku":"x","at":2}],"total":4}""");
        var compare = new EdgeMirrorCompare { BodyPaths = ["/api/**"], IgnoreFields = ["at", "$.meta.requestId"] };
        await using var proxy = await StartAsync(compare, primary, shadow);

        await proxy.GetTextAsync(Host, "/api/order");
        await ComparisonAsync(proxy, 1);
        await proxy.GetTextAsync(Host, "/api/cart");
        var comparison = await ComparisonAsync(proxy, 2);

        Assert.Equal((2L, 1L), (comparison.Compared, comparison.Mismatched));
        var example = Assert.Single(comparison.Examples);
        Assert.Equal(("/api/cart", "$.total"), (example.Path, example.BodyDifference));
    }

    [Fact]
    public async Task Compare_CopyGzippedSameJson_Matches()
    {
        await using var primary = await TestUpstream.StartAsync("primary");
        await using var shadow = await TestUpstream.StartAsync("shadow");
        primary.Routes["/api/greeting"] = Answer(200, """{"greeting":"hello"}""");
        shadow.Routes["/api/greeting"] = async context =>
        {
            using var buffer = new MemoryStream();
            await using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            {
                await gzip.WriteAsync("""{ "greeting" : "hello" }"""u8.ToArray(), context.RequestAborted);
            }

            context.Response.Headers.ContentEncoding = "gzip";
            await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted);
        };
        await using var proxy = await StartAsync(new EdgeMirrorCompare { BodyPaths = ["/api/**"] }, primary, shadow);

        await proxy.GetTextAsync(Host, "/api/greeting");
        var comparison = await ComparisonAsync(proxy, 1);

        Assert.Equal((1L, 0L, 0L), (comparison.Compared, comparison.Mismatched, comparison.NotCompared));
    }

    [Fact]
    public async Task Compare_CopyFarSlowerThanTheRatio_LatencyMismatch()
    {
        await using var primary = await TestUpstream.StartAsync("primary");
        await using var shadow = await TestUpstream.StartAsync("shadow");
        // The primary answers at once; the copy 3 s later, far past 1.5 × the primary's latency + 20 ms.
        shadow.AnswerDelay = TimeSpan.FromSeconds(3);
        await using var proxy = await StartAsync(new EdgeMirrorCompare { LatencyRatio = 1.5 }, primary, shadow);

        Assert.Equal((200, "v1", "primary"), await proxy.GetTextAsync(Host, "/slow"));
        var comparison = await ComparisonAsync(proxy, 1);

        Assert.Equal((1L, 1L, 1L, 0L), (comparison.Compared, comparison.Mismatched, comparison.LatencyMismatches, comparison.StatusMismatches));
        var example = Assert.Single(comparison.Examples);
        Assert.Equal("latency", Assert.Single(example.Differences));
    }

    [Fact]
    public async Task Compare_CopyTimesOut_StatusMismatchWithoutMirrorStatus()
    {
        await using var primary = await TestUpstream.StartAsync("primary");
        await using var shadow = await TestUpstream.StartAsync("shadow");
        shadow.HangsAlways = true;
        var options = new EdgeProxyOptions { MirrorTimeout = TimeSpan.FromMilliseconds(300) };
        await using var proxy = await StartAsync(new EdgeMirrorCompare(), primary, shadow, options);

        Assert.Equal((200, "v1", "primary"), await proxy.GetTextAsync(Host, "/orders"));
        var comparison = await ComparisonAsync(proxy, 1);

        Assert.Equal((1L, 1L), (comparison.Compared, comparison.StatusMismatches));
        var example = Assert.Single(comparison.Examples);
        Assert.Equal((200, (int?)null), (example.PrimaryStatus, example.MirrorStatus));
    }

    [Theory]
    [InlineData(1_000_000, false)]
    [InlineData(1_000_000, true)]
    [InlineData(3_000, true)]
    public async Task Compare_CaptureOn_ClientGetsThePrimaryBodyByteForByte(int size, bool chunked)
    {
        await using var primary = await TestUpstream.StartAsync("primary");
        await using var shadow = await TestUpstream.StartAsync("shadow");
        var body = RandomNumberGenerator.GetBytes(size);
        primary.Routes["/api/blob"] = async context =>
        {
            if (!chunked)
            {
                context.Response.ContentLength = body.Length;
            }

            for (var at = 0; at < body.Length; at += 7_919)
            {
                await context.Response.Body.WriteAsync(body.AsMemory(at, Math.Min(7_919, body.Length - at)), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        };
        shadow.Routes["/api/blob"] = Answer(200, "the shadow's answer");
        var compare = new EdgeMirrorCompare { BodyPaths = ["/api/**"], MaxBodyBytes = 64 * 1024 };
        await using var proxy = await StartAsync(compare, primary, shadow);

        using var response = await proxy.GetAsync(Host, "/api/blob");
        var received = await response.Content.ReadAsByteArrayAsync(TestTimeouts.Ct).DefaultTimeout();
        var comparison = await ComparisonAsync(proxy, 1);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("v1", response.Headers.GetValues("X-Shipgate-Version").Single());
        Assert.Equal(chunked, response.Headers.TransferEncodingChunked == true);
        Assert.True(body.AsSpan().SequenceEqual(received), "the client got other bytes than the primary sent");
        // Over the bound the pair is not compared; under it, the shadow's different body is a mismatch.
        Assert.Equal(size > compare.MaxBodyBytes ? (0L, 1L) : (1L, 0L), (comparison.Compared, comparison.NotCompared));
        Assert.DoesNotContain("the shadow's answer", Encoding.Latin1.GetString(received), StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> Send(ProxyHarness proxy, HttpRequestMessage request)
    {
        request.Headers.Host = Host;
        return proxy.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestTimeouts.Ct);
    }

    [Fact]
    public async Task Compare_PrimaryAbandonedByTheClient_NotCompared()
    {
        await using var primary = await TestUpstream.StartAsync("primary");
        await using var shadow = await TestUpstream.StartAsync("shadow");
        shadow.ReleaseStream();
        await using var proxy = await StartAsync(new EdgeMirrorCompare(), primary, shadow);

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/stream"))
        using (var response = await Send(proxy, request).DefaultTimeout())
        {
            var stream = await response.Content.ReadAsStreamAsync(TestTimeouts.Ct);
            var first = new byte[6];
            await stream.ReadExactlyAsync(first, TestTimeouts.Ct).AsTask().DefaultTimeout();
        }

        var comparison = await ComparisonAsync(proxy, 1);

        Assert.Equal((0L, 1L), (comparison.Compared, comparison.NotCompared));
    }

    [Fact]
    public async Task Compare_PairsWaitingForTheirPrimary_HoldTheirPlacesSoFurtherCopiesAreDropped()
    {
        await using var primary = await TestUpstream.StartAsync("primary");
        await using var shadow = await TestUpstream.StartAsync("shadow");
        shadow.ReleaseStream();
        var options = new EdgeProxyOptions { MaxMirrorsInFlight = 2 };
        await using var proxy = await StartAsync(new EdgeMirrorCompare { BodyPaths = ["/**"] }, primary, shadow, options);

        // Three primaries that stay open: the copies of the first two answer at once but their pairs wait.
        var requests = Enumerable.Range(0, 3).Select(_ => new HttpRequestMessage(HttpMethod.Get, "/stream")).ToList();
        var responses = new List<HttpResponseMessage>();
        foreach (var request in requests)
        {
            responses.Add(await Send(proxy, request).DefaultTimeout());
        }

        await TestTimeouts.EventuallyAsync(
            () => Task.FromResult(proxy.Metrics.Snapshot().Releases.Single(r => r.Mirrored).Requests == 2 ? "two" : null), "the two copies to answer");
        primary.ReleaseStream();
        foreach (var response in responses)
        {
            Assert.Equal("first\nlast\n", await response.Content.ReadAsStringAsync(TestTimeouts.Ct).DefaultTimeout());
            response.Dispose();
        }

        var comparison = await ComparisonAsync(proxy, 2);

        Assert.Equal((2L, 0L), (comparison.Compared, comparison.Mismatched));
        Assert.Equal(2, shadow.Received.Count);
        requests.ForEach(r => r.Dispose());
    }

    [Fact]
    public async Task Compare_SecretsInTheAnswersAndRequest_NeverInExamplesOrMetrics()
    {
        await using var primary = await TestUpstream.StartAsync("primary");
        await using var shadow = await TestUpstream.StartAsync("shadow");
        primary.Routes["/api/login"] = Answer(200, """{"greeting":"hello"}""");
        shadow.Routes["/api/login"] = Answer(200,
            """{"greeting":"hi","user":{"Password":"hunter2-pw","api_key":"k-7788"},"note":"the database is s3cr3t-db-value","list":["s3cr3t-db-value"]}""");
        var variables = new Dictionary<string, string> { ["DATABASE_PASSWORD"] = "s3cr3t-db-value", ["LOG_LEVEL"] = "info" };
        await using var proxy = await StartAsync(new EdgeMirrorCompare { BodyPaths = ["/api/**"] }, primary, shadow, variables: variables);

        await proxy.GetTextAsync(Host, "/api/login?token=tok-abc123&page=2", ("Authorization", "Bearer hdr-secret-xyz"));
        var comparison = await ComparisonAsync(proxy, 1);

        var example = Assert.Single(comparison.Examples);
        Assert.Equal("/api/login?token=***&page=***", example.Path);
        Assert.Equal("$.greeting", example.BodyDifference);
        Assert.Contains("\"Password\":\"***\"", example.MirrorBody, StringComparison.Ordinal);
        Assert.Contains("\"note\":\"the database is ***\"", example.MirrorBody, StringComparison.Ordinal);
        var json = JsonSerializer.Serialize(proxy.Metrics.Snapshot(), EdgeJsonContext.Default.EdgeMetricsSnapshot);
        var prometheus = new StringWriter();
        proxy.Metrics.WritePrometheus(prometheus);
        foreach (var secret in new[] { "hunter2-pw", "k-7788", "tok-abc123", "s3cr3t-db-value", "hdr-secret-xyz" })
        {
            Assert.DoesNotContain(secret, json, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, prometheus.ToString(), StringComparison.Ordinal);
        }

        Assert.Contains("\"comparison\":{", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_MoreThanTwentyMismatches_KeepsTheLatestTwenty()
    {
        await using var primary = await TestUpstream.StartAsync("primary");
        await using var shadow = await TestUpstream.StartAsync("shadow");
        await using var proxy = await StartAsync(new EdgeMirrorCompare { BodyPaths = ["/**"] }, primary, shadow);

        for (var i = 0; i < 25; i++)
        {
            await proxy.GetTextAsync(Host, "/n/" + i);
            await ComparisonAsync(proxy, i + 1);
        }

        var comparison = await ComparisonAsync(proxy, 25);

        Assert.Equal(25, comparison.Mismatched);
        Assert.Equal(Enumerable.Range(5, 20).Select(i => "/n/" + i), comparison.Examples.Select(e => e.Path));
    }
}
