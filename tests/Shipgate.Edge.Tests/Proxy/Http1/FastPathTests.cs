using System.Net.Sockets;
using System.Text;
using Shipgate.Delivery.Edge;
using Shipgate.Edge.Proxy;
using Shipgate.Edge.Routing;
using Shipgate.Server.Tests.Infrastructure;
using Answer = Shipgate.Edge.Tests.Proxy.Http1.ScriptedUpstream.Answer;

namespace Shipgate.Edge.Tests.Proxy.Http1;

/// <summary>The proxy's fast path seen from the wire: raw bytes from a client, raw bytes from an instance.</summary>
public sealed class FastPathTests
{
    private const string Host = "web.staging.localhost";

    [Fact]
    public async Task KeepAlive_TwoRequests_OneInstanceConnectionAndForwardedFields()
    {
        await using var upstream = new ScriptedUpstream(_ => Answer.Ok("one"));
        await using var proxy = await StartAsync(upstream.Port);
        await using var client = await RawClient.ConnectAsync(proxy.Port);

        var first = await client.ExchangeAsync($"GET /a HTTP/1.1\r\nHost: {Host}\r\nConnection: keep-alive\r\nX-Forwarded-Proto: https\r\n\r\n");
        var second = await client.ExchangeAsync($"GET /b HTTP/1.1\r\nHost: {Host}\r\n\r\n");

        Assert.All([first, second], r => Assert.Equal(("200", "v1", "one"), (r.Status, r.Version, r.Body)));
        var received = upstream.Received.ToArray();
        Assert.Equal([1, 1], received.Select(r => r.Connection));
        Assert.All(received, r => Assert.Contains("\r\nX-Forwarded-For: 127.0.0.1\r\nX-Forwarded-Proto: http", r.Head, StringComparison.Ordinal));
        Assert.DoesNotContain("Connection:", received[0].Head, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https", received[0].Head, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipelined_ThreeRequests_AnsweredInOrder()
    {
        await using var upstream = new ScriptedUpstream(head => Answer.Ok(head.Split(' ')[1]));
        await using var proxy = await StartAsync(upstream.Port);
        await using var client = await RawClient.ConnectAsync(proxy.Port);

        await client.SendAsync(string.Concat(new[] { "/a", "/b", "/c" }.Select(p => $"GET {p} HTTP/1.1\r\nHost: {Host}\r\n\r\n")));

        Assert.Equal(["/a", "/b", "/c"], [(await client.ReadAsync()).Body, (await client.ReadAsync()).Body, (await client.ReadAsync()).Body]);
    }

    [Fact]
    public async Task PostBody_ArrivingInPieces_ReachesTheInstanceWhole()
    {
        await using var upstream = new ScriptedUpstream(_ => Answer.Ok("stored"));
        await using var proxy = await StartAsync(upstream.Port);
        await using var client = await RawClient.ConnectAsync(proxy.Port);
        var body = new string('x', 100_000) + "end";

        await client.SendAsync($"POST /upload HTTP/1.1\r\nHost: {Host}\r\nContent-Length: {body.Length}\r\n\r\n{body[..10]}");
        await client.SendAsync(body[10..50_000]);
        await client.SendAsync(body[50_000..]);
        var response = await client.ReadAsync();

        Assert.Equal(("200", "stored"), (response.Status, response.Body));
        Assert.Equal(body, Assert.Single(upstream.Received).Body);
    }

    [Fact]
    public async Task ChunkedAnswerWithTrailer_ReachesTheClientByteForByte()
    {
        const string Chunked = "4\r\nwiki\r\n5;ext=1\r\npedia\r\n0\r\nX-Checksum: 7\r\n\r\n";
        await using var upstream = new ScriptedUpstream(_ => new Answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + Chunked));
        await using var proxy = await StartAsync(upstream.Port);
        await using var client = await RawClient.ConnectAsync(proxy.Port);

        var first = await client.ExchangeAsync($"GET / HTTP/1.1\r\nHost: {Host}\r\n\r\n");
        var second = await client.ExchangeAsync($"GET / HTTP/1.1\r\nHost: {Host}\r\n\r\n");

        Assert.Equal(Chunked, first.Body);
        Assert.Equal(Chunked, second.Body);
        Assert.Equal(1, upstream.Connections);
    }

    [Fact]
    public async Task AnswerUntilClose_ClientGetsTheBodyThenTheConnectionCloses()
    {
        await using var upstream = new ScriptedUpstream(_ => new Answer("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nto the end", Close: true));
        await using var proxy = await StartAsync(upstream.Port);
        await using var client = await RawClient.ConnectAsync(proxy.Port);

        var response = await client.ExchangeAsync($"GET / HTTP/1.1\r\nHost: {Host}\r\n\r\n");

        Assert.Equal(("200", "to the end"), (response.Status, response.Body));
        Assert.Equal("close", RawHttpReader.Header(response.Head, "Connection"));
        Assert.True(await client.EndedAsync());
    }

    // An instance that frames an answer two ways could slip a forged answer onto the connection for the next client
    // request (response splitting): the proxy answers 502 and never reuses that connection.
    [Fact]
    public async Task AmbiguousAnswer_Gets502AndTheNextRequestIsNotFedTheForgery()
    {
        await using var upstream = new ScriptedUpstream(head => head.StartsWith("GET /evil", StringComparison.Ordinal)
            ? new Answer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nforged")
            : Answer.Ok("honest"));
        await using var proxy = await StartAsync(upstream.Port);
        await using var client = await RawClient.ConnectAsync(proxy.Port);

        var evil = await client.ExchangeAsync($"GET /evil HTTP/1.1\r\nHost: {Host}\r\n\r\n");
        var next = await client.ExchangeAsync($"GET /next HTTP/1.1\r\nHost: {Host}\r\n\r\n");

        Assert.Equal(("502", "v1"), (evil.Status, evil.Version));
        Assert.Equal(("200", "honest"), (next.Status, next.Body));
        Assert.Equal(2, upstream.Connections);
        Assert.Equal(1, proxy.Metrics.Snapshot().Releases.Single().TransportErrors);
    }

    [Fact]
    public async Task HeadRequest_LengthWithoutBody_ConnectionReused()
    {
        await using var upstream = new ScriptedUpstream(head => head.StartsWith("HEAD", StringComparison.Ordinal)
            ? new Answer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")
            : Answer.Ok("after"));
        await using var proxy = await StartAsync(upstream.Port);
        await using var client = await RawClient.ConnectAsync(proxy.Port);

        var head = await client.ExchangeAsync($"HEAD / HTTP/1.1\r\nHost: {Host}\r\n\r\n", head: true);
        var get = await client.ExchangeAsync($"GET / HTTP/1.1\r\nHost: {Host}\r\n\r\n");

        Assert.Equal(("200", "5", ""), (head.Status, RawHttpReader.Header(head.Head, "Content-Length"), head.Body));
        Assert.Equal("after", get.Body);
        Assert.Equal(1, upstream.Connections);
    }

    // Node's http server closes an idle keep-alive connection after 5 s without saying so beforehand: the next
    // request must go on a new connection, not fail.
    [Fact]
    public async Task InstanceClosesEachConnectionSilently_EveryRequestStillAnswered()
    {
        await using var upstream = new ScriptedUpstream(_ => Answer.Ok("fresh") with { Close = true });
        await using var proxy = await StartAsync(upstream.Port);
        await using var client = await RawClient.ConnectAsync(proxy.Port);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(("200", "fresh"), ((await client.ExchangeAsync($"GET / HTTP/1.1\r\nHost: {Host}\r\n\r\n")) is var r ? (r.Status, r.Body) : default));
        }

        Assert.Equal(5, upstream.Connections);
        Assert.Equal(0, proxy.Metrics.Snapshot().Releases.Single().TransportErrors);
    }

    [Fact]
    public async Task ClientAsksToClose_AnsweredWithCloseThenClosed()
    {
        await using var upstream = new ScriptedUpstream(_ => Answer.Ok("bye"));
        await using var proxy = await StartAsync(upstream.Port);
        await using var client = await RawClient.ConnectAsync(proxy.Port);

        var response = await client.ExchangeAsync($"GET / HTTP/1.1\r\nHost: {Host}\r\nConnection: close\r\n\r\n");

        Assert.Equal(("bye", "close"), (response.Body, RawHttpReader.Header(response.Head, "Connection")));
        Assert.True(await client.EndedAsync());
    }

    // Slowloris: a client that sends its head a byte at a time, or never finishes it, holds a connection; it is
    // closed once the request headers timeout passes, and nothing reaches an instance.
    [Fact]
    public async Task HeadNeverFinished_ClosedAfterTheHeadersTimeout()
    {
        await using var upstream = new ScriptedUpstream(_ => Answer.Ok("never"));
        await using var proxy = await StartAsync(upstream.Port, new EdgeProxyOptions { RequestHeadersTimeout = TimeSpan.FromSeconds(1) });
        await using var client = await RawClient.ConnectAsync(proxy.Port);

        await client.SendAsync($"GET / HTTP/1.1\r\nHost: {Host}\r\nX-Slow: ");

        Assert.True(await client.EndedAsync());
        Assert.Empty(upstream.Received);
    }

    [Fact]
    public async Task IdleAfterARequest_ClosedAfterTheKeepAliveTimeout()
    {
        await using var upstream = new ScriptedUpstream(_ => Answer.Ok("once"));
        await using var proxy = await StartAsync(upstream.Port, new EdgeProxyOptions { KeepAliveTimeout = TimeSpan.FromSeconds(1) });
        await using var client = await RawClient.ConnectAsync(proxy.Port);

        Assert.Equal("once", (await client.ExchangeAsync($"GET / HTTP/1.1\r\nHost: {Host}\r\n\r\n")).Body);
        Assert.True(await client.EndedAsync());
    }

    // A chunked request is Kestrel's to read; the fast path hands the connection over before consuming any of it, so
    // the instance gets exactly the request the client sent, once.
    [Fact]
    public async Task ChunkedRequestAfterAPlainOne_LeftToKestrelOnTheSameConnection()
    {
        await using var upstream = new ScriptedUpstream(head => Answer.Ok(head.Split(' ')[1]));
        await using var proxy = await StartAsync(upstream.Port);
        await using var client = await RawClient.ConnectAsync(proxy.Port);

        var plain = await client.ExchangeAsync($"GET /plain HTTP/1.1\r\nHost: {Host}\r\n\r\n");
        var chunked = await client.ExchangeAsync($"POST /chunked HTTP/1.1\r\nHost: {Host}\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        var after = await client.ExchangeAsync($"GET /after HTTP/1.1\r\nHost: {Host}\r\n\r\n");

        Assert.Equal(["/plain", "/chunked", "/after"], [plain.Body, chunked.Body, after.Body]);
        Assert.Equal(["/plain", "/chunked", "/after"], upstream.Received.Select(r => r.Head.Split(' ')[1]));
        Assert.Contains("hello", upstream.Received.ElementAt(1).Body, StringComparison.Ordinal);
    }

    // Request smuggling (CL.TE): a body framed both ways. The instance must get no request the client was not
    // answered for: every request that reached it is one the client got an answer to.
    [Fact]
    public async Task SmugglingAttempt_ContentLengthAndChunked_NoRequestTheClientWasNotAnsweredFor()
    {
        await using var upstream = new ScriptedUpstream(head => Answer.Ok("seen " + head.Split(' ')[1]));
        await using var proxy = await StartAsync(upstream.Port);
        await using var client = await RawClient.ConnectAsync(proxy.Port);
        var smuggled = $"GET /smuggled HTTP/1.1\r\nHost: {Host}\r\n\r\n";

        await client.SendAsync($"POST /front HTTP/1.1\r\nHost: {Host}\r\nContent-Length: {5 + smuggled.Length}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n{smuggled}");
        var answers = new List<string>();
        while (await client.TryReadAsync() is { } response)
        {
            answers.Add(response.Body);
        }

        Assert.Equal(upstream.Received.Select(r => "seen " + r.Head.Split(' ')[1]), answers.Where(a => a.StartsWith("seen", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task MirroredServiceMidConnection_LeftToKestrelAndCopied()
    {
        await using var plain = new ScriptedUpstream(_ => Answer.Ok("plain"));
        await using var primary = await TestUpstream.StartAsync("primary");
        await using var shadow = await TestUpstream.StartAsync("shadow");
        var mirrored = ProxyHarness.Weights(("v1", 1000), ("v2", 0)) with { Mirror = new EdgeMirrorSpec { Version = "v2", Permille = 1000 } };
        await using var proxy = await ProxyHarness.StartAsync(new RouteTable([
            ProxyHarness.Service("web", "staging", ProxyHarness.Weights(("v1", 1000)), [], ("v1", 1000, [plain.Port])),
            ProxyHarness.Service("api", "staging", mirrored, [], ("v1", 1000, [primary.Port]), ("v2", 0, [shadow.Port])),
        ]));
        await using var client = await RawClient.ConnectAsync(proxy.Port);

        var first = await client.ExchangeAsync($"GET / HTTP/1.1\r\nHost: {Host}\r\n\r\n");
        var second = await client.ExchangeAsync("GET /copied HTTP/1.1\r\nHost: api.staging.localhost\r\n\r\n");

        Assert.Equal("plain", first.Body);
        Assert.Contains("primary", second.Body, StringComparison.Ordinal);
        await TestTimeouts.EventuallyAsync(() => Task.FromResult(shadow.Received.Any(r => r.PathAndQuery == "/copied") ? "copied" : null), "the mirrored copy");
    }

    private static Task<ProxyHarness> StartAsync(int port, EdgeProxyOptions? options = null) =>
        ProxyHarness.StartAsync(ProxyHarness.Table(ProxyHarness.Weights(("v1", 1000)), ("v1", 1000, [port])), options);

    private sealed class RawClient : IAsyncDisposable
    {
        private readonly TcpClient _tcp;
        private readonly NetworkStream _stream;
        private readonly RawHttpReader _reader;

        private RawClient(TcpClient tcp)
        {
            _tcp = tcp;
            _stream = tcp.GetStream();
            _reader = new RawHttpReader(_stream);
        }

        public static async Task<RawClient> ConnectAsync(int port)
        {
            var tcp = new TcpClient { NoDelay = true };
            await tcp.ConnectAsync("127.0.0.1", port, TestTimeouts.Ct).AsTask().DefaultTimeout();
            return new RawClient(tcp);
        }

        public async Task SendAsync(string text) =>
            await _stream.WriteAsync(Encoding.ASCII.GetBytes(text), TestTimeouts.Ct).AsTask().DefaultTimeout();

        public async Task<Response> ExchangeAsync(string request, bool head = false)
        {
            await SendAsync(request);
            return await ReadAsync(head);
        }

        public async Task<Response> ReadAsync(bool head = false)
        {
            var (text, body) = await _reader.ReadResponseAsync(head, TestTimeouts.Ct).DefaultTimeout();
            return new Response(text, text.Split(' ')[1], RawHttpReader.Header(text, "X-Shipgate-Version"), body);
        }

        /// <summary>The next response, or null once the proxy closed the connection.</summary>
        public async Task<Response?> TryReadAsync()
        {
            try
            {
                return await ReadAsync();
            }
            catch (Exception e) when (e is EndOfStreamException or IOException)
            {
                return null;
            }
        }

        /// <summary>True once the proxy closed the connection, gracefully or with a reset.</summary>
        public async Task<bool> EndedAsync()
        {
            try
            {
                return await _reader.EndedAsync(TestTimeouts.Ct).DefaultTimeout();
            }
            catch (IOException)
            {
                return true;
            }
        }

        public ValueTask DisposeAsync()
        {
            _tcp.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed record Response(string Head, string Status, string? Version, string Body);
}
