using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Shipgate.Edge.Proxy.Http1;

namespace Shipgate.Edge.Tests.Proxy.Http1;

public sealed class RequestHeadTests
{
    private const string Host = "Host: web.staging.localhost";

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n" + Host)]
    [InlineData("POST /api?x=1&y=%20 HTTP/1.1\r\n" + Host + "\r\nContent-Length: 12")]
    [InlineData("GET / HTTP/1.1\r\n" + Host + "\r\nConnection: keep-alive\r\nCookie: a=b; c=d")]
    [InlineData("DELETE /x HTTP/1.1\r\nhOsT:web.staging.localhost:8080\r\nX-Forwarded-For: 10.0.0.1")]
    public void TryParse_PlainRequest_Taken(string head) => Assert.True(Parse(head, out _));

    // Each of these is either refused by Kestrel or framed by rules a fast path could get wrong; the fast path leaves
    // them all to Kestrel, so no request it forwards can be read two ways (request smuggling, RFC 9112 §11.2).
    [Theory]
    [InlineData("POST / HTTP/1.1\r\n" + Host + "\r\nContent-Length: 5\r\nTransfer-Encoding: chunked")]
    [InlineData("POST / HTTP/1.1\r\n" + Host + "\r\nTransfer-Encoding: chunked")]
    [InlineData("POST / HTTP/1.1\r\n" + Host + "\r\nTransfer-Encoding : chunked")]
    [InlineData("POST / HTTP/1.1\r\n" + Host + "\r\nContent-Length: 5\r\nContent-Length: 5")]
    [InlineData("POST / HTTP/1.1\r\n" + Host + "\r\nContent-Length: 5, 5")]
    [InlineData("POST / HTTP/1.1\r\n" + Host + "\r\nContent-Length: +5")]
    [InlineData("POST / HTTP/1.1\r\n" + Host + "\r\nContent-Length: 0x5")]
    [InlineData("POST / HTTP/1.1\r\n" + Host + "\r\nContent-Length: 99999999999999999999")]
    [InlineData("POST / HTTP/1.1\r\n" + Host + "\r\nContent-Length:")]
    [InlineData("GET / HTTP/1.1\r\n" + Host + "\r\nX-Folded: a\r\n b")]
    [InlineData("GET / HTTP/1.1\r\n" + Host + "\r\n\tX-Folded: a")]
    [InlineData("GET / HTTP/1.1\n" + Host)]
    [InlineData("GET / HTTP/1.1\r\n" + Host + "\nX-Bare-Lf: a")]
    [InlineData("GET / HTTP/1.1\r\n" + Host + "\r\nX-Cr: a\rb")]
    [InlineData("GET / HTTP/1.1\r\n" + Host + "\r\nX-Nul: a\0b")]
    [InlineData("GET / HTTP/1.1\r\n" + Host + "\r\nX-Latin: caf\u00e9")]
    [InlineData("GET / HTTP/1.1\r\n" + Host + "\r\nBad Name: a")]
    [InlineData("GET / HTTP/1.1\r\n" + Host + "\r\n: no name")]
    [InlineData("GET / HTTP/1.1\r\n" + Host + "\r\nNoColon")]
    [InlineData("GET / HTTP/1.0\r\n" + Host)]
    [InlineData("GET / HTTP/2.0\r\n" + Host)]
    [InlineData("GET http://web.staging.localhost/ HTTP/1.1\r\n" + Host)]
    [InlineData("OPTIONS * HTTP/1.1\r\n" + Host)]
    [InlineData("GET /a b HTTP/1.1\r\n" + Host)]
    [InlineData("GET  / HTTP/1.1\r\n" + Host)]
    [InlineData("G(T / HTTP/1.1\r\n" + Host)]
    [InlineData("GET / HTTP/1.1")]
    [InlineData("GET / HTTP/1.1\r\n" + Host + "\r\n" + Host)]
    [InlineData("GET / HTTP/1.1\r\nHost:")]
    [InlineData("GET / HTTP/1.1\r\n" + Host + "\r\nExpect: 100-continue")]
    [InlineData("GET / HTTP/1.1\r\n" + Host + "\r\nUpgrade: websocket\r\nConnection: Upgrade")]
    [InlineData("GET / HTTP/1.1\r\n" + Host + "\r\nConnection: keep-alive, Upgrade")]
    [InlineData("GET / HTTP/1.1\r\n" + Host + "\r\nConnection: X-Secret")]
    [InlineData("GET / HTTP/1.1\r\n" + Host + "\r\nTE: trailers")]
    [InlineData("GET / HTTP/1.1\r\n" + Host + "\r\nTrailer: X-Checksum")]
    [InlineData("GET / HTTP/1.1\r\n" + Host + "\r\nKeep-Alive: timeout=5")]
    [InlineData("GET / HTTP/1.1\r\n" + Host + "\r\nProxy-Connection: keep-alive")]
    [InlineData("GET / HTTP/1.1\r\n" + Host + "\r\nX-Forwarded-For: 1.1.1.1\r\nX-Forwarded-For: 2.2.2.2")]
    [InlineData("PRI * HTTP/2.0")]
    public void TryParse_RequestKestrelShouldJudge_LeftToKestrel(string head) => Assert.False(Parse(head, out _));

    [Fact]
    public void TryParse_MoreThanTheHeaderLimit_LeftToKestrel()
    {
        var head = "GET / HTTP/1.1\r\n" + Host + string.Concat(Enumerable.Range(0, RequestHead.MaxHeaders).Select(i => $"\r\nX-{i}: v"));

        Assert.False(Parse(head, out _));
    }

    [Fact]
    public void TryParse_HeadInSeveralSegments_ParsedAlike()
    {
        var bytes = Encoding.ASCII.GetBytes("GET /split HTTP/1.1\r\n" + Host + "\r\nContent-Length: 7\r\nConnection: close");
        var first = new Segment(bytes.AsMemory(0, 10));
        var last = first.Append(bytes.AsMemory(10));
        var head = new RequestHead();

        Assert.True(head.TryParse(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length)));
        Assert.Equal(7, head.ContentLength);
        Assert.True(head.Close);
        Assert.Equal("web.staging.localhost", Encoding.ASCII.GetString(head.Host));
    }

    [Fact]
    public void WriteForward_HopByHopAndForwardedFields_ReplacedOthersKept()
    {
        Assert.True(Parse(
            "POST /a HTTP/1.1\r\nX-Forwarded-Proto: https\r\n" + Host + "\r\nConnection: keep-alive\r\nX-Forwarded-For: 10.1.1.1\r\nContent-Length: 3\r\nX-Last: z",
            out var head));
        var pipe = new Pipe();

        head.WriteForward(pipe.Writer, "127.0.0.1"u8);
        pipe.Writer.Complete();
        pipe.Reader.TryRead(out var result);

        Assert.Equal(
            "POST /a HTTP/1.1\r\n" + Host + "\r\nContent-Length: 3\r\nX-Last: z\r\nX-Forwarded-For: 10.1.1.1, 127.0.0.1\r\nX-Forwarded-Proto: http\r\n\r\n",
            Encoding.ASCII.GetString(result.Buffer));
    }

    [Fact]
    public void HeaderAndCookie_AsRoutingReadsThem()
    {
        Assert.True(Parse("GET / HTTP/1.1\r\n" + Host + "\r\nX-Canary: yes\r\nCookie: a=1; shipgate-bucket=\"42\"\r\nX-Shipgate-Version: v2", out var head));

        Assert.Equal("yes", head.Header("x-canary"));
        Assert.Null(head.Header("X-Missing"));
        Assert.Equal("v2", head.Header(Edge.Proxy.ForwardingTransformer.VersionHeader));
        Assert.Equal("42", head.Cookie("shipgate-bucket"));
        Assert.Equal("1", head.Cookie("a"));
        Assert.Null(head.Cookie("b"));
    }

    private static bool Parse(string text, out RequestHead head)
    {
        head = new RequestHead();
        return head.TryParse(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text)));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
