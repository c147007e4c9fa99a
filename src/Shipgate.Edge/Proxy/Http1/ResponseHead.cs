using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Shipgate.Edge.Metrics;

namespace Shipgate.Edge.Proxy.Http1;

/// <summary>How the body of an instance's answer is delimited (RFC 9112 §6.3).</summary>
internal enum BodyFraming
{
    None,
    ContentLength,
    Chunked,
    /// <summary>Until the instance closes the connection: the client's connection closes after it too.</summary>
    UntilClose,
}

/// <summary>
/// An instance's response head, parsed in place and strictly: a head the fast path cannot frame with certainty
/// (both Content-Length and Transfer-Encoding, a coding other than chunked, differing lengths, bytes outside the
/// syntax) makes the answer a 502, so one instance can never make the proxy misread the next answer on a connection.
/// </summary>
internal sealed class ResponseHead
{
    /// <summary>Largest head taken from an instance.</summary>
    public const int MaxBytes = 64 * 1024;

    private const int MaxHeaders = 200;

    private readonly (int Start, int Length, bool Skip)[] _lines = new (int, int, bool)[MaxHeaders];
    private byte[] _copy = [];
    private ReadOnlyMemory<byte> _bytes;
    private int _count;
    private int _statusLineLength;

    // The X-Shipgate-Flags values, copied (comma-joined) because the head's bytes go back to the pipe before the
    // answer is counted; the buffer is the connection's and grows only to the largest value seen.
    private byte[] _flags = [];
    private int _flagsLength;

    public int Status { get; private set; }

    public BodyFraming Framing { get; private set; }

    public long ContentLength { get; private set; }

    /// <summary>The instance will close the connection after this answer (or cannot be trusted to keep it).</summary>
    public bool Close { get; private set; }

    /// <summary>Parses <paramref name="head"/> (the bytes before the blank line). False: malformed, answer 502.</summary>
    public bool TryParse(ReadOnlySequence<byte> head, bool requestIsHead)
    {
        if (head.Length > MaxBytes)
        {
            return false;
        }

        _bytes = HttpBytes.Contiguous(head, ref _copy);

        return Parse(_bytes.Span, requestIsHead);
    }

    private bool Parse(ReadOnlySpan<byte> span, bool requestIsHead)
    {
        _count = 0;
        _flagsLength = 0;
        var lineEnd = span.IndexOf(HttpBytes.Crlf);
        var line = lineEnd < 0 ? span : span[..lineEnd];
        _statusLineLength = line.Length;
        // status-line = HTTP-version SP status-code SP [ reason-phrase ]
        if (line.Length < 12 || !(line.StartsWith("HTTP/1.1 "u8) || line.StartsWith("HTTP/1.0 "u8))
            || !IsDigit(line[9]) || !IsDigit(line[10]) || !IsDigit(line[11]) || (line.Length > 12 && line[12] != ' ')
            || !HttpBytes.IsResponseValue(line[12..]))
        {
            return false;
        }

        Status = ((line[9] - '0') * 100) + ((line[10] - '0') * 10) + (line[11] - '0');
        if (Status < 100)
        {
            return false;
        }

        var http10 = line[7] == '0';
        var keepAlive = false;
        Close = false;
        long length = -1;
        var chunked = false;
        var offset = lineEnd < 0 ? span.Length : lineEnd + 2;
        while (offset < span.Length)
        {
            var start = offset;
            if (_count == MaxHeaders || !HttpBytes.TryReadField(span, ref offset, response: true, out line, out var colon))
            {
                return false;
            }

            var name = line[..colon];
            var value = HttpBytes.TrimOws(line[(colon + 1)..]);
            var skip = false;
            switch (name.Length)
            {
                case 14 when HttpBytes.NameIs(name, "content-length"u8):
                    var parsed = HttpBytes.ParseLength(value);
                    if (parsed < 0 || (length >= 0 && parsed != length))
                    {
                        return false;
                    }

                    length = parsed;
                    break;
                case 17 when HttpBytes.NameIs(name, "transfer-encoding"u8):
                    if (chunked || !HttpBytes.NameIs(value, "chunked"u8))
                    {
                        return false;
                    }

                    chunked = true;
                    break;
                case 10 when HttpBytes.NameIs(name, "connection"u8):
                    foreach (var range in value.Split((byte)','))
                    {
                        var option = HttpBytes.TrimOws(value[range]);
                        Close |= HttpBytes.NameIs(option, "close"u8);
                        keepAlive |= HttpBytes.NameIs(option, "keep-alive"u8);
                    }

                    skip = true;
                    break;
                case 16 when HttpBytes.NameIs(name, "x-shipgate-flags"u8):
                    // For the edge's counters only: the client does not get it.
                    KeepFlags(value);
                    skip = true;
                    break;
                case 10 when HttpBytes.NameIs(name, "keep-alive"u8):
                case 16 when HttpBytes.NameIs(name, "proxy-connection"u8):
                case 7 when HttpBytes.NameIs(name, "upgrade"u8):
                case 18 when HttpBytes.NameIs(name, "x-shipgate-version"u8):
                    skip = true;
                    break;
            }

            _lines[_count++] = (start, line.Length, skip);
        }

        if (chunked && length >= 0)
        {
            return false;
        }

        Close |= http10 && !keepAlive;
        ContentLength = Math.Max(0, length);
        if (requestIsHead || Status is 204 or 304 || Status < 200)
        {
            Framing = BodyFraming.None;
        }
        else if (chunked)
        {
            Framing = BodyFraming.Chunked;
        }
        else if (length >= 0)
        {
            Framing = BodyFraming.ContentLength;
        }
        else
        {
            (Framing, Close) = (BodyFraming.UntilClose, true);
        }

        return true;
    }

    /// <summary>
    /// Writes the head for the client: the status line and the instance's fields without the hop-by-hop ones and
    /// without an <c>X-Shipgate-Version</c> or <c>X-Shipgate-Flags</c> of its own, then <paramref name="extra"/> (complete header lines).
    /// </summary>
    public void WriteForward(PipeWriter output, ReadOnlySpan<byte> extra, string? setCookie, bool close)
    {
        var span = _bytes.Span;
        output.Write(span[.._statusLineLength]);
        output.Write(HttpBytes.Crlf);
        for (var i = 0; i < _count; i++)
        {
            var (start, length, skip) = _lines[i];
            if (!skip)
            {
                output.Write(span.Slice(start, length));
                output.Write(HttpBytes.Crlf);
            }
        }

        output.Write(extra);
        if (setCookie is not null)
        {
            output.Write("Set-Cookie: "u8);
            System.Text.EncodingExtensions.GetBytes(System.Text.Encoding.ASCII, setCookie.AsSpan(), output);
            output.Write(HttpBytes.Crlf);
        }

        output.Write(close ? "Connection: close\r\n\r\n"u8 : HttpBytes.Crlf);
    }

    /// <summary>Counts this answer under the flags and variants its <c>X-Shipgate-Flags</c> named, if it had any.</summary>
    public void CountFlags(FlagCounters flags, long micros)
    {
        if (_flagsLength == 0)
        {
            return;
        }

        var value = _flags.AsSpan(0, _flagsLength);
        var rented = value.Length <= 256 ? null : ArrayPool<char>.Shared.Rent(value.Length);
        Span<char> chars = rented ?? stackalloc char[256];
        // The field passed IsResponseValue: one byte per character.
        var length = Encoding.Latin1.GetChars(value, chars);
        flags.Count(chars[..length], Status, micros);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private void KeepFlags(ReadOnlySpan<byte> value)
    {
        var needed = _flagsLength + 1 + value.Length;
        if (needed > _flags.Length)
        {
            Array.Resize(ref _flags, Math.Max(needed, Math.Min(2 * _flags.Length, MaxBytes)));
        }

        if (_flagsLength > 0)
        {
            _flags[_flagsLength++] = (byte)',';
        }

        value.CopyTo(_flags.AsSpan(_flagsLength));
        _flagsLength += value.Length;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';
}
