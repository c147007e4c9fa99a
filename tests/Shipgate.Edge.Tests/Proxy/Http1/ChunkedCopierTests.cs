using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Shipgate.Edge.Proxy.Http1;

namespace Shipgate.Edge.Tests.Proxy.Http1;

public sealed class ChunkedCopierTests
{
    private const string Body = "5\r\nhello\r\n1A;name=value\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Checksum: 42\r\n\r\n";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(1000)]
    public void Copy_BodyInPiecesOfAnySize_CopiedWholeAndEndFound(int piece)
    {
        var (output, done, malformed, left) = Feed(Body + "HTTP/1.1 200 next", piece);

        Assert.False(malformed);
        Assert.True(done);
        Assert.Equal(Body, output);
        Assert.Equal("HTTP/1.1 200 next", left);
    }

    [Theory]
    [InlineData("g\r\nhello\r\n0\r\n\r\n")]
    [InlineData("\r\n0\r\n\r\n")]
    [InlineData("5\r\nhelloXX0\r\n\r\n")]
    [InlineData("-5\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5 5\r\nhello\r\n0\r\n\r\n")]
    [InlineData("1000000000000000\r\n")]
    [InlineData("0\r\nnot a field\r\n\r\n")]
    [InlineData("5\nhello\r\n0\r\n\r\n")]
    public void Copy_BrokenFraming_Malformed(string body) => Assert.True(Feed(body, 3).Malformed);

    [Fact]
    public void Copy_SizeLineThatNeverEnds_MalformedOnceTooLong() =>
        Assert.True(Feed("5;" + new string('x', 5000), 100).Malformed);

    [Fact]
    public void Copy_Unfinished_NotDone()
    {
        var (output, done, malformed, _) = Feed("5\r\nhel", 100);

        Assert.False(done);
        Assert.False(malformed);
        Assert.Equal("5\r\nhel", output);
    }

    // Feeds the text to one copier as a reader would get it, piece by piece, keeping what it did not consume.
    private static (string Output, bool Done, bool Malformed, string Left) Feed(string text, int piece)
    {
        var copier = new ChunkedCopier();
        copier.Reset();
        var pipe = new Pipe();
        var bytes = Encoding.ASCII.GetBytes(text);
        var pending = Array.Empty<byte>();
        var malformed = false;
        for (var offset = 0; offset < bytes.Length && !copier.IsDone && !malformed; offset += piece)
        {
            pending = [.. pending, .. bytes.AsSpan(offset, Math.Min(piece, bytes.Length - offset))];
            var buffer = new ReadOnlySequence<byte>(pending);
            var consumed = copier.Copy(buffer, pipe.Writer, out malformed);
            pending = buffer.Slice(consumed).ToArray();
            if (copier.IsDone)
            {
                pending = [.. pending, .. bytes.AsSpan(Math.Min(bytes.Length, offset + piece))];
            }
        }

        pipe.Writer.Complete();
        pipe.Reader.TryRead(out var result);
        return (Encoding.ASCII.GetString(result.Buffer), copier.IsDone, malformed, Encoding.ASCII.GetString(pending));
    }
}
