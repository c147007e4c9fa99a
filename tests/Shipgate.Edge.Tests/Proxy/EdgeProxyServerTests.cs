using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Shipgate.Delivery.Edge;
using Shipgate.Edge.Metrics;
using Shipgate.Edge.Proxy;
using Shipgate.Edge.Routing;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Edge.Tests.Proxy;

public sealed class EdgeProxyServerTests
{
    [Fact]
    public async Task Request_ServiceHost_ReachesReleaseWithVersionHeader()
    {
        await using var v1 = await TestUpstream.StartAsync("one");
        await using var proxy = await ProxyHarness.StartAsync(ProxyHarness.Table(ProxyHarness.Weights(("v1", 1000)), ("v1", 1000, [v1.Port])));

        var plain = await proxy.GetTextAsync("web.staging.localhost");
        var cased = await proxy.GetTextAsync("WEB.Staging.LOCALHOST:8080");

        Assert.Equal((200, "v1", "one"), plain);
        Assert.Equal((200, "v1", "one"), cased);
        var received = v1.Received.First();
        Assert.Equal("web.staging.localhost", received.Headers["Host"]);
        Assert.Equal("127.0.0.1", received.Headers["X-Forwarded-For"]);
    }

    [Fact]
    public async Task Request_ClaimedHost_ReachesService()
    {
        await using var v1 = await TestUpstream.StartAsync("one");
        var table = new RouteTable(
            [ProxyHarness.Service("web", "production", ProxyHarness.Weights(("v1", 1000)), ["www.example.com"], ("v1", 1000, [v1.Port]))]);
        await using var proxy = await ProxyHarness.StartAsync(table);

        Assert.Equal((200, "v1", "one"), await proxy.GetTextAsync("www.example.com"));
        Assert.Equal((200, "v1", "one"), await proxy.GetTextAsync("web.production.localhost"));
    }

    [Fact]
    public async Task Request_UnknownHost_Gets404WithSentence()
    {
        await using var proxy = await ProxyHarness.StartAsync(RouteTable.Empty);

        var (status, version, body) = await proxy.GetTextAsync("nothing.staging.localhost");

        Assert.Equal(404, status);
        Assert.Null(version);
        Assert.Equal("No service answers to this host name.\n", body);
    }

    [Fact]
    public async Task Request_ServiceWithoutRouting_Gets503()
    {
        await using var v1 = await TestUpstream.StartAsync("one");
        await using var proxy = await ProxyHarness.StartAsync(ProxyHarness.Table(null, ("v1", 0, [v1.Port])));

        var (status, _, body) = await proxy.GetTextAsync("web.staging.localhost");

        Assert.Equal(503, status);
        Assert.Equal("The service has no routing yet.\n", body);
        Assert.Empty(v1.Received);
    }

    [Fact]
    public async Task Request_ReleaseWithoutHealthyEndpoint_Gets503WithVersion()
    {
        await using var proxy = await ProxyHarness.StartAsync(ProxyHarness.Table(ProxyHarness.Weights(("v1", 1000)), ("v1", 1000, [])));

        Assert.Equal((503, "v1", "No instance of the release is healthy.\n"), await proxy.GetTextAsync("web.staging.localhost"));
    }

    [Fact]
    public async Task Request_PreviewHost_ReachesPreviewRelease()
    {
        await using var blue = await TestUpstream.StartAsync("blue");
        await using var green = await TestUpstream.StartAsync("green");
        var routing = ProxyHarness.Weights(("v1", 1000), ("v2", 0)) with { Preview = "v2" };
        await using var proxy = await ProxyHarness.StartAsync(ProxyHarness.Table(routing, ("v1", 1000, [blue.Port]), ("v2", 0, [green.Port])));

        Assert.Equal((200, "v2", "green"), await proxy.GetTextAsync("preview.web.staging.localhost"));
        Assert.Equal((200, "v1", "blue"), await proxy.GetTextAsync("web.staging.localhost"));
    }

    [Fact]
    public async Task Request_PreviewHostWithoutPreview_Gets404()
    {
        await using var v1 = await TestUpstream.StartAsync("one");
        await using var proxy = await ProxyHarness.StartAsync(ProxyHarness.Table(ProxyHarness.Weights(("v1", 1000)), ("v1", 1000, [v1.Port])));

        Assert.Equal((404, null, "The service has no preview release.\n"), await proxy.GetTextAsync("preview.web.staging.localhost"));
    }

    [Fact]
    public async Task Request_PinHeader_ReachesPinnedRelease()
    {
        await using var blue = await TestUpstream.StartAsync("blue");
        await using var green = await TestUpstream.StartAsync("green");
        await using var proxy = await ProxyHarness.StartAsync(
            ProxyHarness.Table(ProxyHarness.Weights(("v1", 1000), ("v2", 0)), ("v1", 1000, [blue.Port]), ("v2", 0, [green.Port])));

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal((200, "v2", "green"), await proxy.GetTextAsync("web.staging.localhost", "/", ("X-Shipgate-Version", "v2")));
        }
    }

    [Fact]
    public async Task Request_PinHeaderUnknownVersion_Gets404()
    {
        await using var v1 = await TestUpstream.StartAsync("one");
        await using var proxy = await ProxyHarness.StartAsync(ProxyHarness.Table(ProxyHarness.Weights(("v1", 1000)), ("v1", 1000, [v1.Port])));

        var (status, _, body) = await proxy.GetTextAsync("web.staging.localhost", "/", ("X-Shipgate-Version", "v9"));

        Assert.Equal(404, status);
        Assert.Equal("The service has no release by the version X-Shipgate-Version names.\n", body);
        Assert.Empty(v1.Received);
    }

    [Fact]
    public async Task Request_HeaderRoute_ReachesRouteRelease()
    {
        await using var stable = await TestUpstream.StartAsync("stable");
        await using var canary = await TestUpstream.StartAsync("canary");
        var routing = ProxyHarness.Weights(("v1", 1000), ("v2", 0)) with { HeaderRoutes = [new EdgeHeaderRoute("X-Beta", "yes", "v2")] };
        await using var proxy = await ProxyHarness.StartAsync(ProxyHarness.Table(routing, ("v1", 1000, [stable.Port]), ("v2", 0, [canary.Port])));

        Assert.Equal((200, "v2", "canary"), await proxy.GetTextAsync("web.staging.localhost", "/", ("X-Beta", "yes")));
        Assert.Equal((200, "v1", "stable"), await proxy.GetTextAsync("web.staging.localhost", "/", ("X-Beta", "no")));
        Assert.Equal((200, "v1", "stable"), await proxy.GetTextAsync("web.staging.localhost"));
    }

    [Theory]
    [InlineData(900, 100)]
    [InlineData(999, 1)]
    public async Task Weights_PerMille_SplitExactlyByTheDraws(int stableWeight, int canaryWeight)
    {
        await using var stable = await TestUpstream.StartAsync("stable");
        await using var canary = await TestUpstream.StartAsync("canary");
        await using var proxy = await ProxyHarness.StartAsync(ProxyHarness.Table(
            ProxyHarness.Weights(("v1", stableWeight), ("v2", canaryWeight)),
            ("v1", stableWeight, [stable.Port]),
            ("v2", canaryWeight, [canary.Port])));

        var versions = new List<string?>();
        for (var i = 0; i < 1000; i++)
        {
            versions.Add((await proxy.GetTextAsync("web.staging.localhost")).Version);
        }

        Assert.Equal(stableWeight, versions.Count(v => v == "v1"));
        Assert.Equal(canaryWeight, versions.Count(v => v == "v2"));
        Assert.Equal((stableWeight, canaryWeight), (stable.Received.Count, canary.Received.Count));
    }

    [Fact]
    public async Task StickyCookie_FirstRequest_SetsCookieThatKeepsTheClient()
    {
        await using var stable = await TestUpstream.StartAsync("stable");
        await using var canary = await TestUpstream.StartAsync("canary");
        var routing = ProxyHarness.Weights(("v1", 500), ("v2", 500)) with { Sticky = new EdgeStickiness { Kind = "cookie", Name = "sg" } };
        await using var proxy = await ProxyHarness.StartAsync(
            ProxyHarness.Table(routing, ("v1", 500, [stable.Port]), ("v2", 500, [canary.Port])), random: new SequenceRandom(stride: 250));

        foreach (var _ in Enumerable.Range(0, 4))
        {
            using var first = await proxy.GetAsync("web.staging.localhost");
            var cookie = Assert.Single(first.Headers.GetValues("Set-Cookie"));
            Assert.Matches("^sg=[0-9]+; Path=/; HttpOnly; SameSite=Lax$", cookie);
            var version = first.Headers.GetValues("X-Shipgate-Version").Single();
            for (var i = 0; i < 10; i++)
            {
                using var next = await proxy.GetAsync("web.staging.localhost", "/", ("Cookie", cookie.Split(';')[0]));
                Assert.Equal(version, next.Headers.GetValues("X-Shipgate-Version").Single());
                Assert.False(next.Headers.Contains("Set-Cookie"));
            }
        }

        Assert.NotEmpty(stable.Received);
        Assert.NotEmpty(canary.Received);

        // A value that is no bucket number (an application's own, or forged) is hashed onto a bucket, steadily.
        foreach (var forged in new[] { "sg=99999", "sg=-1", "sg=user-42", "sg=" + new string('x', 4000) })
        {
            var first = await proxy.GetTextAsync("web.staging.localhost", "/", ("Cookie", forged));
            Assert.Equal(200, first.Status);
            Assert.Equal(first, await proxy.GetTextAsync("web.staging.localhost", "/", ("Cookie", forged)));
        }
    }

    [Fact]
    public async Task StickyHeader_SameValue_SameRelease()
    {
        await using var stable = await TestUpstream.StartAsync("stable");
        await using var canary = await TestUpstream.StartAsync("canary");
        var routing = ProxyHarness.Weights(("v1", 500), ("v2", 500)) with { Sticky = new EdgeStickiness { Kind = "header", Name = "X-User" } };
        await using var proxy = await ProxyHarness.StartAsync(ProxyHarness.Table(routing, ("v1", 500, [stable.Port]), ("v2", 500, [canary.Port])));

        var seen = new HashSet<string?>();
        foreach (var user in new[] { "alice", "bob", "carol", "dave", "erin", "frank" })
        {
            var version = (await proxy.GetTextAsync("web.staging.localhost", "/", ("X-User", user))).Version;
            seen.Add(version);
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal(version, (await proxy.GetTextAsync("web.staging.localhost", "/", ("X-User", user))).Version);
            }
        }

        Assert.Equal(["v1", "v2"], seen.Order());
    }

    [Fact]
    public async Task Retry_OneOfTwoEndpointsRefuses_NoRequestFails()
    {
        await using var live = await TestUpstream.StartAsync("live");
        await using var proxy = await ProxyHarness.StartAsync(
            ProxyHarness.Table(ProxyHarness.Weights(("v1", 1000)), ("v1", 1000, [TestUpstream.DeadPort(), live.Port])));

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal((200, "v1", "live"), await proxy.GetTextAsync("web.staging.localhost"));
            using var post = new HttpRequestMessage(HttpMethod.Post, "/echo") { Content = new StringContent("body " + i) };
            post.Headers.Host = "web.staging.localhost";
            using var response = await proxy.Client.SendAsync(post, TestTimeouts.Ct).DefaultTimeout();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("body " + i, await response.Content.ReadAsStringAsync(TestTimeouts.Ct));
        }
    }

    [Fact]
    public async Task Instance_KilledUnderLoad_NoRequestFails()
    {
        await using var one = await PythonInstance.StartAsync("one");
        await using var two = await PythonInstance.StartAsync("two");
        await using var proxy = await ProxyHarness.StartAsync(
            ProxyHarness.Table(ProxyHarness.Weights(("v1", 1000)), ("v1", 1000, [one.Port, two.Port])));
        var answered = 0;
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failures = new List<string>();

        async Task WorkerAsync()
        {
            for (var i = 0; i < 150; i++)
            {
                var (status, _, body) = await proxy.GetTextAsync("web.staging.localhost");
                if (status != 200 || body is not ("one" or "two"))
                {
                    lock (failures)
                    {
                        failures.Add(status + " " + body);
                    }
                }

                if (Interlocked.Increment(ref answered) == 200)
                {
                    halfway.TrySetResult();
                }
            }
        }

        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(WorkerAsync)).ToArray();
        await halfway.Task.DefaultTimeout();
        one.Kill();
        await Task.WhenAll(workers).DefaultTimeout();

        Assert.Empty(failures);
        Assert.Equal(600, answered);
    }

    [Fact]
    public async Task Request_EveryEndpointRefuses_Gets502WithVersion()
    {
        await using var proxy = await ProxyHarness.StartAsync(
            ProxyHarness.Table(ProxyHarness.Weights(("v1", 1000)), ("v1", 1000, [TestUpstream.DeadPort(), TestUpstream.DeadPort()])));

        Assert.Equal((502, "v1", "The instance did not answer.\n"), await proxy.GetTextAsync("web.staging.localhost"));
        var release = Assert.Single(proxy.Metrics.Snapshot().Releases);
        Assert.Equal((1, 1), (release.Requests, release.TransportErrors));
    }

    [Fact]
    public async Task Request_InstanceSilentPastActivityTimeout_Gets504()
    {
        await using var v1 = await TestUpstream.StartAsync("one");
        await using var proxy = await ProxyHarness.StartAsync(
            ProxyHarness.Table(ProxyHarness.Weights(("v1", 1000)), ("v1", 1000, [v1.Port])),
            new EdgeProxyOptions { ActivityTimeout = TimeSpan.FromMilliseconds(300) });

        Assert.Equal((504, "v1", "The instance did not answer in time.\n"), await proxy.GetTextAsync("web.staging.localhost", "/hang"));
        var release = Assert.Single(proxy.Metrics.Snapshot().Releases);
        Assert.Equal((1, 1), (release.Requests, release.Timeouts));
    }

    [Fact]
    public async Task WebSocket_Echo_PassesThrough()
    {
        await using var v1 = await TestUpstream.StartAsync("one");
        var table = new RouteTable(
            [ProxyHarness.Service("web", "staging", ProxyHarness.Weights(("v1", 1000)), ["127.0.0.1"], ("v1", 1000, [v1.Port]))]);
        await using var proxy = await ProxyHarness.StartAsync(table);
        using var socket = new ClientWebSocket();

        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{proxy.Port}/ws"), TestTimeouts.Ct).DefaultTimeout();
        await socket.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, true, TestTimeouts.Ct).DefaultTimeout();
        var buffer = new byte[64];
        var result = await socket.ReceiveAsync(buffer, TestTimeouts.Ct).DefaultTimeout();
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", TestTimeouts.Ct).DefaultTimeout();

        Assert.Equal("hello", Encoding.UTF8.GetString(buffer, 0, result.Count));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
    }

    [Fact]
    public async Task StreamingResponse_FirstChunk_ArrivesBeforeTheInstanceFinishes()
    {
        await using var v1 = await TestUpstream.StartAsync("one");
        await using var proxy = await ProxyHarness.StartAsync(ProxyHarness.Table(ProxyHarness.Weights(("v1", 1000)), ("v1", 1000, [v1.Port])));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/stream");
        request.Headers.Host = "web.staging.localhost";

        using var response = await proxy.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestTimeouts.Ct).DefaultTimeout();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestTimeouts.Ct));
        var first = await reader.ReadLineAsync(TestTimeouts.Ct).AsTask().DefaultTimeout();
        v1.ReleaseStream();
        var last = await reader.ReadLineAsync(TestTimeouts.Ct).AsTask().DefaultTimeout();

        Assert.Equal(("first", "last"), (first, last));
    }

    [Fact]
    public async Task StreamingRequestBody_Chunked_ArrivesWhole()
    {
        await using var v1 = await TestUpstream.StartAsync("one");
        await using var proxy = await ProxyHarness.StartAsync(ProxyHarness.Table(ProxyHarness.Weights(("v1", 1000)), ("v1", 1000, [v1.Port])));
        var payload = string.Concat(Enumerable.Repeat("0123456789", 100_000));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/echo")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(payload))),
        };
        request.Headers.Host = "web.staging.localhost";
        request.Headers.TransferEncodingChunked = true;

        using var response = await proxy.Client.SendAsync(request, TestTimeouts.Ct).DefaultTimeout();

        Assert.Equal(payload, await response.Content.ReadAsStringAsync(TestTimeouts.Ct).DefaultTimeout());
    }

    [Fact]
    public async Task Start_PortTaken_ThrowsSentenceNamingTheAddress()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var address = "127.0.0.1:" + ((IPEndPoint)taken.LocalEndpoint).Port;
        await using var server = new EdgeProxyServer(
            new EdgeRouter(), new EdgeMetrics(TimeProvider.System), NullLoggerFactory.Instance, TimeProvider.System);

        var error = await Assert.ThrowsAsync<IOException>(() => server.StartAsync([address], TestTimeouts.Ct)).DefaultTimeout();

        Assert.Equal($"The proxy cannot listen on {address}: the address is in use.", error.Message);
    }

    [Fact]
    public async Task Start_NotHostPort_ThrowsSentence()
    {
        await using var server = new EdgeProxyServer(
            new EdgeRouter(), new EdgeMetrics(TimeProvider.System), NullLoggerFactory.Instance, TimeProvider.System);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => server.StartAsync(["nowhere"], TestTimeouts.Ct)).DefaultTimeout();

        Assert.Equal("The listen address 'nowhere' is not HOST:PORT (an IP address, localhost or *, and a port).", error.Message);
    }
}
