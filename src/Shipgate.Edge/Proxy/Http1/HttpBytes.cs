using System.Buffers;

namespace Shipgate.Edge.Proxy.Http1;

/// <summary>Byte-level HTTP/1.1 syntax (RFC 9110 §5.6.2, RFC 9112) for the fast path's parsers.</summary>
internal static class HttpBytes
{
    public static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    public static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;

    // tchar: ALPHA / DIGIT / "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
    private static readonly SearchValues<byte> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    // A request target in origin form as the fast path takes it: visible ASCII only (no space, no control, no 8-bit).
    private static readonly SearchValues<byte> TargetChars = SearchValues.Create(Enumerable.Range(0x21, 0x7E - 0x20).Select(b => (byte)b).ToArray());

    // A request header value as the fast path takes it: visible ASCII, space and tab (Kestrel's default refuses 8-bit).
    private static readonly SearchValues<byte> RequestValueChars =
        SearchValues.Create([(byte)'\t', .. Enumerable.Range(0x20, 0x7F - 0x20).Select(b => (byte)b)]);

    // A response header value: visible ASCII, space, tab and obs-text (8-bit), which instances may send.
    private static readonly SearchValues<byte> ResponseValueChars =
        SearchValues.Create([(byte)'\t', .. Enumerable.Range(0x20, 0x7F - 0x20).Select(b => (byte)b), .. Enumerable.Range(0x80, 0x80).Select(b => (byte)b)]);

    public static bool IsToken(ReadOnlySpan<byte> value) => value.Length > 0 && !value.ContainsAnyExcept(TokenChars);

    public static bool IsTarget(ReadOnlySpan<byte> value) => value.Length > 0 && value[0] == '/' && !value.ContainsAnyExcept(TargetChars);

    public static bool IsRequestValue(ReadOnlySpan<byte> value) => !value.ContainsAnyExcept(RequestValueChars);

    public static bool IsResponseValue(ReadOnlySpan<byte> value) => !value.ContainsAnyExcept(ResponseValueChars);

    /// <summary>Case-insensitive comparison of an ASCII header name with a lower-case literal.</summary>
    public static bool NameIs(ReadOnlySpan<byte> name, ReadOnlySpan<byte> lower) => System.Text.Ascii.EqualsIgnoreCase(name, lower);

    /// <summary>A decimal length of 1 to 18 digits and nothing else; -1 otherwise.</summary>
    public static long ParseLength(ReadOnlySpan<byte> value)
    {
        if (value.Length is 0 or > 18)
        {
            return -1;
        }

        long length = 0;
        foreach (var b in value)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return -1;
            }

            length = (length * 10) + (b - '0');
        }

        return length;
    }

    /// <summary>Value without leading and trailing spaces and tabs (optional whitespace around a field value).</summary>
    public static ReadOnlySpan<byte> TrimOws(ReadOnlySpan<byte> value) => value.Trim(" \t"u8);

    /// <summary>
    /// <paramref name="head"/> as one block of memory: its own when it lies in one segment (valid until the pipe is
    /// advanced past it), else a copy in <paramref name="copy"/>, grown as needed and kept for the next head.
    /// </summary>
    public static ReadOnlyMemory<byte> Contiguous(ReadOnlySequence<byte> head, ref byte[] copy)
    {
        if (head.IsSingleSegment)
        {
            return head.First;
        }

        if (copy.Length < head.Length)
        {
            copy = new byte[Math.Max(4096, (int)head.Length)];
        }

        head.CopyTo(copy);
        return copy.AsMemory(0, (int)head.Length);
    }

    /// <summary>
    /// The field line that starts at <paramref name="offset"/> (up to CRLF or the end of the head), with the index of
    /// its colon, and <paramref name="offset"/> moved past it. False when it is not <c>name ":" value</c> with a token
    /// name and a value of the bytes a request (or, with <paramref name="response"/>, a response) may carry; obsolete
    /// line folding fails here too, since a line that starts with a space or a tab has no token before its colon.
    /// </summary>
    public static bool TryReadField(ReadOnlySpan<byte> head, scoped ref int offset, bool response, out ReadOnlySpan<byte> line, out int colon)
    {
        var rest = head[offset..];
        var end = rest.IndexOf(Crlf);
        line = end < 0 ? rest : rest[..end];
        colon = line.IndexOf((byte)':');
        offset += line.Length + 2;
        return colon > 0 && IsToken(line[..colon])
            && (response ? IsResponseValue(line[(colon + 1)..]) : IsRequestValue(line[(colon + 1)..]));
    }
}
