using System.IO.Compression;

namespace Shipgate.Edge.Comparison;

/// <summary>
/// Undoes a body's <c>Content-Encoding</c> before it is compared: none or <c>identity</c>, <c>gzip</c>,
/// <c>deflate</c> (zlib, RFC 9110 8.4.1.2) and <c>br</c>. Decoding stops at the comparison's bound.
/// </summary>
internal static class ContentDecoding
{
    /// <summary>The decoded body; null when the encoding is another, the data is corrupt, or it decodes past <paramref name="maxBytes"/>.</summary>
    public static byte[]? Decode(ReadOnlySpan<byte> body, string? encoding, int maxBytes)
    {
        encoding = encoding?.Trim();
        if (string.IsNullOrEmpty(encoding) || encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return body.ToArray();
        }

        using var source = new MemoryStream(body.ToArray(), writable: false);
        using Stream? decoder = encoding.ToLowerInvariant() switch
        {
            "gzip" or "x-gzip" => new GZipStream(source, CompressionMode.Decompress),
            "deflate" => new ZLibStream(source, CompressionMode.Decompress),
            "br" => new BrotliStream(source, CompressionMode.Decompress),
            _ => null,
        };
        if (decoder is null)
        {
            return null;
        }

        var decoded = new BodyCapture(maxBytes);
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = decoder.Read(chunk)) > 0)
            {
                decoded.Append(chunk.AsSpan(0, read));
                if (decoded.Overflowed)
                {
                    return null;
                }
            }
        }
        catch (InvalidDataException)
        {
            return null;
        }

        return decoded.Bytes.ToArray();
    }
}
