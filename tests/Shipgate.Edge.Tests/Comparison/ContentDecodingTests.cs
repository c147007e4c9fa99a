using System.IO.Compression;
using System.Text;
using Shipgate.Edge.Comparison;

namespace Shipgate.Edge.Tests.Comparison;

public sealed class ContentDecodingTests
{
    private static readonly byte[] Json = Encoding.UTF8.GetBytes("""{"greeting":"hello","n":[1,2,3]}""");

    private static byte[] Encode(string encoding, byte[] body)
    {
        using var buffer = new MemoryStream();
        using (Stream encoder = encoding switch
        {
            "gzip" => new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true),
            "deflate" => new ZLibStream(buffer, CompressionLevel.Fastest, leaveOpen: true),
            _ => new BrotliStream(buffer, CompressionLevel.Fastest, leaveOpen: true),
        })
        {
            encoder.Write(body);
        }

        return buffer.ToArray();
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    [InlineData("GZIP")]
    public void Decode_KnownCoding_GivesTheBody(string encoding) =>
        Assert.Equal(Json, ContentDecoding.Decode(Encode(encoding.ToLowerInvariant(), Json), encoding, 1024));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("identity")]
    public void Decode_NoCoding_GivesTheBytes(string? encoding) =>
        Assert.Equal(Json, ContentDecoding.Decode(Json, encoding, 1024));

    [Fact]
    public void Decode_UnknownCodingOrCorruptData_IsNull()
    {
        Assert.Null(ContentDecoding.Decode(Json, "zstd", 1024));
        Assert.Null(ContentDecoding.Decode(Json, "gzip", 1024));
    }

    [Fact]
    public void Decode_BombPastTheBound_StopsAndIsNull()
    {
        // 64 MiB of zeros compress to about 64 KiB: decoding stops at the 1 KiB bound.
        var bomb = Encode("gzip", new byte[64 << 20]);

        Assert.Null(ContentDecoding.Decode(bomb, "gzip", 1024));
    }
}
