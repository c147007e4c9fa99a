using System.Net;
using Shipgate.Delivery.Edge;
using Shipgate.Edge.Proxy;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Edge.Tests.Proxy;

public sealed class RequestMirrorTests
{
    private static readonly EdgeMirrorSpec AllGets = new() { Version = "v2", Permille = 1000 };

    /// <summary>A proxy sending web.staging.localhost to v1 on <paramref name="primary"/>, copying to v2 on <paramref name="shadow"/>.</summary>
    private static Task<ProxyHarness> StartAsync(EdgeMirrorSpec mirror, int primary, int shadow, EdgeProxyOptions? options = null) =>
        ProxyHarness.StartAsync(
            ProxyHarness.Table(ProxyHarness.Weights(("v1", 1000), ("v2", 0)) with { Mirror = mirror }, ("v1", 1000, [primary]), ("v2", 0, [shadow])),
            options);

    [Fact]
    public async Task Mirror_Get_CopyArrivesAndIsCountedApart()
    {
        await using var primary = await TestUpstream.StartAsync("primary");
        await using var shadow = await TestUpstream.StartAsync("shadow");
        await using var proxy = await StartAsync(AllGets, primary.Port, shadow.Port);

        var answer = await proxy.GetTextAsync("web.staging.localhost", "/items?page=2", ("X-Trace", "abc"));

        Assert.Equal((200, "v1", "primary"), answer);
        var copy = await TestTimeouts.EventuallyAsync(() => Task.FromResult(shadow.Received.FirstOrDefault()), "the mirrored copy");
        Assert.Equal(("GET", "/items?page=2", "abc", "web.staging.localhost", "1"),
            (copy.Method, copy.PathAndQuery, copy.Headers["X-Trace"], copy.Headers["Host"], copy.Headers["X-Shipgate-Mirror"]));
        var mirrored = await TestTimeouts.EventuallyAsync(
            () => Task.FromResult(proxy.Metrics.Snapshot().Releases.FirstOrDefault(r => r.Mirrored && r.Requests == 1)), "the copy's metrics");
        Assert.Equal(("v2", 1L), (mirrored.Version, mirrored.Status2xx));
        Assert.Equal(1, proxy.Metrics.Snapshot().Releases.Single(r => !r.Mirrored && r.Version == "v1").Requests);
    }

    [Fact]
    public async Task Mirror_Hangs_PrimaryAnswersAndCopyTimesOut()
    {
        await using var primary = await TestUpstream.StartAsync("primary");
        await using var shadow = await TestUpstream.StartAsync("shadow");
        shadow.HangsAlways = true;
        var options = new EdgeProxyOptions { MirrorTimeout = TimeSpan.FromMilliseconds(300) };
        await using var proxy = await StartAsync(AllGets, primary.Port, shadow.Port, options);

        Assert.Equal((200, "v1", "primary"), await proxy.GetTextAsync("web.staging.localhost"));

        var mirrored = await TestTimeouts.EventuallyAsync(
            () => Task.FromResult(proxy.Metrics.Snapshot().Releases.FirstOrDefault(r => r.Mirrored && r.Timeouts == 1)), "the copy to time out");
        Assert.Equal(0, mirrored.InFlight);
    }

    [Fact]
    public async Task Mirror_TooManyCopiesInFlight_FurtherCopiesDropped()
    {
        await using var primary = await TestUpstream.StartAsync("primary");
        await using var shadow = await TestUpstream.StartAsync("shadow");
        shadow.HangsAlways = true;
        await using var proxy = await StartAsync(AllGets, primary.Port, shadow.Port, new EdgeProxyOptions { MaxMirrorsInFlight = 2 });

        for (var i = 0; i < 6; i++)
        {
            Assert.Equal((200, "v1", "primary"), await proxy.GetTextAsync("web.staging.localhost"));
        }

        await TestTimeouts.EventuallyAsync(() => Task.FromResult(shadow.Hanging == 2 ? "two" : null), "the two copies to arrive");
        Assert.Equal(2, shadow.Received.Count);
        Assert.Equal(2, proxy.Metrics.Snapshot().Releases.Single(r => r.Mirrored).InFlight);
    }

    [Fact]
    public async Task Mirror_AnswersError_PrimaryUnaffected()
    {
        await using var primary = await TestUpstream.StartAsync("primary");
        await using var shadow = await TestUpstream.StartAsync("shadow");
        await using var proxy = await StartAsync(AllGets, primary.Port, shadow.Port);

        var answer = await proxy.GetTextAsync("web.staging.localhost", "/status/503");

        // Both answer 503 here; what counts is that the client's answer is the primary's, and the copy's is counted apart.
        Assert.Equal((503, "v1", "primary"), answer);
        await TestTimeouts.EventuallyAsync(
            () => Task.FromResult(proxy.Metrics.Snapshot().Releases.FirstOrDefault(r => r.Mirrored && r.Status5xx == 1)), "the copy's 5xx");
    }

    [Fact]
    public async Task Mirror_Down_PrimaryUnaffected()
    {
        await using var primary = await TestUpstream.StartAsync("primary");
        await using var proxy = await StartAsync(AllGets, primary.Port, TestUpstream.DeadPort());

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal((200, "v1", "primary"), await proxy.GetTextAsync("web.staging.localhost"));
        }

        await TestTimeouts.EventuallyAsync(
            () => Task.FromResult(proxy.Metrics.Snapshot().Releases.FirstOrDefault(r => r.Mirrored && r.TransportErrors == 10)), "ten failed copies");
    }

    [Fact]
    public async Task Mirror_Post_NotCopiedByDefault()
    {
        await using var primary = await TestUpstream.StartAsync("primary");
        await using var shadow = await TestUpstream.StartAsync("shadow");
        await using var proxy = await StartAsync(AllGets, primary.Port, shadow.Port);

        using var post = new HttpRequestMessage(HttpMethod.Post, "/echo") { Content = new StringContent("order 1") };
        post.Headers.Host = "web.staging.localhost";
        using var response = await proxy.Client.SendAsync(post, TestTimeouts.Ct).DefaultTimeout();
        // A GET after it is copied; the copies run in order of arrival, so once it arrived the POST would have too.
        await proxy.GetTextAsync("web.staging.localhost", "/after");
        await TestTimeouts.EventuallyAsync(() => Task.FromResult(shadow.Received.FirstOrDefault()), "the GET's copy");

        Assert.Equal("order 1", await response.Content.ReadAsStringAsync(TestTimeouts.Ct));
        Assert.Equal(["/after"], shadow.Received.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task Mirror_PostAllowedSmallBody_CopiedWithBody()
    {
        await using var primary = await TestUpstream.StartAsync("primary");
        await using var shadow = await TestUpstream.StartAsync("shadow");
        var spec = new EdgeMirrorSpec { Version = "v2", Permille = 1000, Methods = ["POST"], MaxBodyBytes = 100 };
        await using var proxy = await StartAsync(spec, primary.Port, shadow.Port);

        var small = await PostAsync(proxy, new string('s', 100));
        var large = await PostAsync(proxy, new string('l', 101));
        var copy = await TestTimeouts.EventuallyAsync(() => Task.FromResult(shadow.Received.FirstOrDefault()), "the small body's copy");
        await PostAsync(proxy, "marker");
        await TestTimeouts.EventuallyAsync(() => Task.FromResult(shadow.Received.FirstOrDefault(r => r.Body == "marker")), "the marker's copy");

        Assert.Equal((new string('s', 100), new string('l', 101)), (small, large));
        Assert.Equal(new string('s', 100), copy.Body);
        Assert.DoesNotContain(shadow.Received, r => r.Body.StartsWith('l'));
        Assert.Contains(primary.Received, r => r.Body == new string('l', 101));
    }

    [Fact]
    public async Task Mirror_ChunkedBodyOverTheBound_PrimaryGetsItWhole()
    {
        await using var primary = await TestUpstream.StartAsync("primary");
        await using var shadow = await TestUpstream.StartAsync("shadow");
        var spec = new EdgeMirrorSpec { Version = "v2", Permille = 1000, Methods = ["POST"], MaxBodyBytes = 1000 };
        await using var proxy = await StartAsync(spec, primary.Port, shadow.Port);
        var body = string.Concat(Enumerable.Repeat("0123456789", 10_000));
        using var post = new HttpRequestMessage(HttpMethod.Post, "/echo")
        {
            Content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body))),
        };
        post.Headers.Host = "web.staging.localhost";
        post.Headers.TransferEncodingChunked = true;

        using var response = await proxy.Client.SendAsync(post, TestTimeouts.Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync(TestTimeouts.Ct));
    }

    private static async Task<string> PostAsync(ProxyHarness proxy, string body)
    {
        using var post = new HttpRequestMessage(HttpMethod.Post, "/echo") { Content = new StringContent(body) };
        post.Headers.Host = "web.staging.localhost";
        using var response = await proxy.Client.SendAsync(post, TestTimeouts.Ct).DefaultTimeout();
        return await response.Content.ReadAsStringAsync(TestTimeouts.Ct);
    }
}
