using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Shipgate.Edge.Routing;

namespace Shipgate.Edge.Proxy.Http1;

/// <summary>
/// An HTTP/1.1 request head as the fast path takes it, parsed in place (one per client connection, reused). The
/// fast path takes only the plainest requests and leaves everything else to Kestrel and YARP: <see cref="TryParse"/>
/// answers false for HTTP/1.0, a target not in origin form, any byte Kestrel might refuse, obsolete line folding,
/// a missing or repeated Host, Transfer-Encoding, repeated or malformed Content-Length, Expect, Upgrade, TE,
/// Trailer, Keep-Alive, Proxy-Connection and a Connection other than keep-alive or close. So a request the fast path
/// forwards is one that every HTTP/1.1 parser frames alike, which is what leaves no room for request smuggling.
/// </summary>
internal sealed class RequestHead : IRoutingRequest
{
    /// <summary>Largest head taken (Kestrel's default limit for all request headers).</summary>
    public const int MaxBytes = 32 * 1024;

    /// <summary>Most header fields taken (Kestrel's default limit).</summary>
    public const int MaxHeaders = 100;

    private readonly (int NameStart, int NameLength, int ValueStart, int ValueLength, bool Skip)[] _headers =
        new (int, int, int, int, bool)[MaxHeaders];

    private byte[] _copy = [];
    private ReadOnlyMemory<byte> _bytes;
    private int _count;
    private int _host = -1;
    private int _pin = -1;
    private int _forwardedFor = -1;
    private int _cookie = -1;

    /// <summary>The body's length; 0 when the request has none.</summary>
    public long ContentLength { get; private set; }

    /// <summary>The client asked to close the connection after this exchange.</summary>
    public bool Close { get; private set; }

    /// <summary>HEAD: the answer has no body whatever its headers say.</summary>
    public bool IsHead { get; private set; }

    /// <summary>GET, HEAD, OPTIONS or TRACE: sending it again is harmless when it has no body.</summary>
    public bool IsIdempotent { get; private set; }

    public ReadOnlySpan<byte> Host => Value(_host);

    /// <summary>
    /// Parses <paramref name="head"/> (the bytes before the blank line that ends the head). False: the fast path does
    /// not take this request, and nothing of it has been consumed.
    /// </summary>
    public bool TryParse(ReadOnlySequence<byte> head)
    {
        if (head.Length > MaxBytes)
        {
            return false;
        }

        _bytes = HttpBytes.Contiguous(head, ref _copy);

        return Parse(_bytes.Span);
    }

    private bool Parse(ReadOnlySpan<byte> span)
    {
        _count = 0;
        _host = _pin = _forwardedFor = _cookie = -1;
        ContentLength = 0;
        Close = false;
        var lineEnd = span.IndexOf(HttpBytes.Crlf);
        var line = lineEnd < 0 ? span : span[..lineEnd];
        if (!ParseRequestLine(line))
        {
            return false;
        }

        var seenLength = false;
        var offset = lineEnd < 0 ? span.Length : lineEnd + 2;
        while (offset < span.Length)
        {
            var start = offset;
            if (_count == MaxHeaders || !HttpBytes.TryReadField(span, ref offset, response: false, out line, out var colon))
            {
                return false;
            }

            var name = line[..colon];
            var raw = line[(colon + 1)..];
            var value = HttpBytes.TrimOws(raw);
            var valueStart = start + colon + 1 + (raw.Length - raw.TrimStart(" \t"u8).Length);
            var skip = false;
            switch (name.Length)
            {
                case 4 when HttpBytes.NameIs(name, "host"u8):
                    if (_host >= 0 || value.IsEmpty)
                    {
                        return false;
                    }

                    _host = _count;
                    break;
                case 14 when HttpBytes.NameIs(name, "content-length"u8):
                    var length = HttpBytes.ParseLength(value);
                    if (seenLength || length < 0)
                    {
                        return false;
                    }

                    (seenLength, ContentLength) = (true, length);
                    break;
                case 10 when HttpBytes.NameIs(name, "connection"u8):
                    if (HttpBytes.NameIs(value, "close"u8))
                    {
                        Close = true;
                    }
                    else if (!HttpBytes.NameIs(value, "keep-alive"u8))
                    {
                        return false;
                    }

                    skip = true;
                    break;
                case 15 when HttpBytes.NameIs(name, "x-forwarded-for"u8):
                    if (_forwardedFor >= 0)
                    {
                        return false;
                    }

                    (_forwardedFor, skip) = (_count, true);
                    break;
                case 17 when HttpBytes.NameIs(name, "x-forwarded-proto"u8):
                    skip = true;
                    break;
                case 18 when HttpBytes.NameIs(name, "x-shipgate-version"u8):
                    _pin = _pin < 0 ? _count : _pin;
                    break;
                case 6 when HttpBytes.NameIs(name, "cookie"u8):
                    _cookie = _cookie < 0 ? _count : _cookie;
                    break;
                case 17 when HttpBytes.NameIs(name, "transfer-encoding"u8):
                case 6 when HttpBytes.NameIs(name, "expect"u8):
                case 7 when HttpBytes.NameIs(name, "upgrade"u8) || HttpBytes.NameIs(name, "trailer"u8):
                case 2 when HttpBytes.NameIs(name, "te"u8):
                case 10 when HttpBytes.NameIs(name, "keep-alive"u8):
                case 16 when HttpBytes.NameIs(name, "proxy-connection"u8):
                    return false;
            }

            _headers[_count++] = (start, colon, valueStart, value.Length, skip);
        }

        return _host >= 0;
    }

    private bool ParseRequestLine(ReadOnlySpan<byte> line)
    {
        var space = line.IndexOf((byte)' ');
        if (space <= 0 || !line.EndsWith(" HTTP/1.1"u8))
        {
            return false;
        }

        var method = line[..space];
        var target = line[(space + 1)..^9];
        if (!HttpBytes.IsToken(method) || !HttpBytes.IsTarget(target))
        {
            return false;
        }

        IsHead = method.SequenceEqual("HEAD"u8);
        IsIdempotent = IsHead || method.SequenceEqual("GET"u8) || method.SequenceEqual("OPTIONS"u8) || method.SequenceEqual("TRACE"u8);
        return true;
    }

    /// <summary>
    /// Writes the head for the instance: the request line and the client's fields as they came, without the
    /// hop-by-hop Connection and with X-Forwarded-For (the client's address appended) and X-Forwarded-Proto set.
    /// </summary>
    public void WriteForward(PipeWriter output, ReadOnlySpan<byte> clientAddress)
    {
        var span = _bytes.Span;
        // Runs of fields kept as they are go out in one write each.
        var runStart = 0;
        for (var i = 0; i < _count; i++)
        {
            var (nameStart, _, _, _, skip) = _headers[i];
            if (skip)
            {
                output.Write(span[runStart..nameStart]);
                runStart = i + 1 < _count ? _headers[i + 1].NameStart : span.Length + 2;
            }
        }

        if (runStart < span.Length)
        {
            output.Write(span[runStart..]);
            output.Write(HttpBytes.Crlf);
        }

        output.Write("X-Forwarded-For: "u8);
        if (_forwardedFor >= 0)
        {
            output.Write(Value(_forwardedFor));
            output.Write(", "u8);
        }

        output.Write(clientAddress);
        output.Write("\r\nX-Forwarded-Proto: http\r\n\r\n"u8);
    }

    public string? Header(string name)
    {
        if (ReferenceEquals(name, ForwardingTransformer.VersionHeader))
        {
            return _pin < 0 ? null : Encoding.ASCII.GetString(Value(_pin));
        }

        var span = _bytes.Span;
        for (var i = 0; i < _count; i++)
        {
            var (nameStart, nameLength, valueStart, valueLength, _) = _headers[i];
            if (Ascii.EqualsIgnoreCase(span.Slice(nameStart, nameLength), name))
            {
                return Encoding.ASCII.GetString(span.Slice(valueStart, valueLength));
            }
        }

        return null;
    }

    public string? Cookie(string name)
    {
        if (_cookie < 0)
        {
            return null;
        }

        var span = _bytes.Span;
        for (var i = _cookie; i < _count; i++)
        {
            var (nameStart, nameLength, valueStart, valueLength, _) = _headers[i];
            if (!HttpBytes.NameIs(span.Slice(nameStart, nameLength), "cookie"u8))
            {
                continue;
            }

            // cookie-string = cookie-pair *( ";" SP cookie-pair ) (RFC 6265 §4.2.1), read leniently as browsers send it.
            foreach (var range in span.Slice(valueStart, valueLength).Split((byte)';'))
            {
                var pair = HttpBytes.TrimOws(span.Slice(valueStart, valueLength)[range]);
                var equals = pair.IndexOf((byte)'=');
                if (equals > 0 && Ascii.Equals(pair[..equals], name))
                {
                    return Encoding.ASCII.GetString(pair[(equals + 1)..].Trim((byte)'"'));
                }
            }
        }

        return null;
    }

    private ReadOnlySpan<byte> Value(int index)
    {
        if (index < 0)
        {
            return default;
        }

        var (_, _, start, length, _) = _headers[index];
        return _bytes.Span.Slice(start, length);
    }
}
