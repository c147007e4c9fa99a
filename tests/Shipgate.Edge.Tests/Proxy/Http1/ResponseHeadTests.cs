using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Shipgate.Edge.Proxy.Http1;

namespace Shipgate.Edge.Tests.Proxy.Http1;

public sealed class ResponseHeadTests
{
    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5", false, 200, "ContentLength", 5, false)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5", false, 200, "ContentLength", 5, false)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked", false, 200, "Chunked", 0, false)]
    [InlineData("HTTP/1.1 200 OK", false, 200, "UntilClose", 0, true)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5", true, 200, "None", 5, false)]
    [InlineData("HTTP/1.1 204 No Content", false, 204, "None", 0, false)]
    [InlineData("HTTP/1.1 304 Not Modified\r\nContent-Length: 99", false, 304, "None", 99, false)]
    [InlineData("HTTP/1.1 103 Early Hints\r\nLink: </a.css>", false, 103, "None", 0, false)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close", false, 200, "ContentLength", 1, true)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 1", false, 200, "ContentLength", 1, true)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 1\r\nConnection: keep-alive", false, 200, "ContentLength", 1, false)]
    [InlineData("HTTP/1.1 500 Erreur interne \u00e9\r\nX-Name: caf\u00e9\r\nContent-Length: 0", false, 500, "ContentLength", 0, false)]
    [InlineData("HTTP/1.1 200\r\nContent-Length: 0", false, 200, "ContentLength", 0, false)]
    public void TryParse_WellFramed_Framing(string head, bool requestIsHead, int status, string framing, long length, bool close)
    {
        var response = new ResponseHead();

        Assert.True(response.TryParse(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(head)), requestIsHead));
        Assert.Equal((status, framing, length, close), (response.Status, response.Framing.ToString(), response.ContentLength, response.Close));
    }

    // An instance that frames its answer ambiguously could make the proxy read the rest as the next answer on the
    // connection, for another client (response splitting): such an answer is a 502.
    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1")]
    [InlineData("HTTP/1.1 200 OK\r\nX-Split: a\r\n b")]
    [InlineData("HTTP/1.1 200 OK\r\nX-Nul: a\0")]
    [InlineData("HTTP/1.1 200 OK\nContent-Length: 0")]
    [InlineData("HTTP/1.1 20 OK")]
    [InlineData("HTTP/1.1 099 Low")]
    [InlineData("HTTP/1.1 2000 OK")]
    [InlineData("HTTP/2 200 OK")]
    [InlineData("ICY 200 OK")]
    public void TryParse_Ambiguous_Refused(string head) =>
        Assert.False(new ResponseHead().TryParse(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(head)), requestIsHead: false));

    [Fact]
    public void WriteForward_HopByHopAndOwnVersionDropped_VersionCookieAndCloseAdded()
    {
        var response = new ResponseHead();
        Assert.True(response.TryParse(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(
            "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nX-Shipgate-Version: forged\r\nContent-Length: 2\r\nSet-Cookie: s=1")), false));
        var pipe = new Pipe();

        response.WriteForward(pipe.Writer, "X-Shipgate-Version: v1\r\n"u8, "bucket=3; Path=/", close: true);
        pipe.Writer.Complete();
        pipe.Reader.TryRead(out var result);

        Assert.Equal(
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nSet-Cookie: s=1\r\nX-Shipgate-Version: v1\r\nSet-Cookie: bucket=3; Path=/\r\nConnection: close\r\n\r\n",
            Encoding.ASCII.GetString(result.Buffer));
    }
}
