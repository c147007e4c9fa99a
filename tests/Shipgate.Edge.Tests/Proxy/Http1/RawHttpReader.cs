using System.Text;

namespace Shipgate.Edge.Tests.Proxy.Http1;

/// <summary>Reads HTTP/1.1 messages from a stream as bytes, for tests that must see exactly what went over the wire.</summary>
internal sealed class RawHttpReader(Stream stream)
{
    private readonly List<byte> _buffer = [];

    /// <summary>The next head (without the blank line), or null when the stream ended first.</summary>
    public async Task<string?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var end = IndexOf("\r\n\r\n"u8.ToArray());
            if (end >= 0)
            {
                var head = Encoding.Latin1.GetString([.. _buffer.Take(end)]);
                _buffer.RemoveRange(0, end + 4);
                return head;
            }

            if (!await FillAsync(cancellationToken))
            {
                return null;
            }
        }
    }

    public async Task<string> ReadExactlyAsync(int length, CancellationToken cancellationToken)
    {
        while (_buffer.Count < length)
        {
            if (!await FillAsync(cancellationToken))
            {
                throw new EndOfStreamException($"The stream ended {length - _buffer.Count} bytes short.");
            }
        }

        var text = Encoding.Latin1.GetString([.. _buffer.Take(length)]);
        _buffer.RemoveRange(0, length);
        return text;
    }

    /// <summary>A whole response: its head and its body read by its framing (chunked bodies as their bytes on the wire).</summary>
    public async Task<(string Head, string Body)> ReadResponseAsync(bool head, CancellationToken cancellationToken)
    {
        var text = await ReadHeadAsync(cancellationToken) ?? throw new EndOfStreamException("No response came.");
        var noBody = head || text.StartsWith("HTTP/1.1 204", StringComparison.Ordinal) || text.StartsWith("HTTP/1.1 304", StringComparison.Ordinal);
        return (text, noBody ? "" : await ReadBodyAsync(text, untilClose: true, cancellationToken));
    }

    /// <summary>
    /// The body that follows <paramref name="head"/>: by Content-Length, chunked (as its bytes on the wire), or when
    /// it has neither, up to the end of the stream (<paramref name="untilClose"/>, a response) or none (a request).
    /// </summary>
    public async Task<string> ReadBodyAsync(string head, bool untilClose, CancellationToken cancellationToken)
    {
        if (Header(head, "Transfer-Encoding") is not null)
        {
            var body = new StringBuilder();
            while (true)
            {
                var line = await LineAsync(cancellationToken);
                body.Append(line).Append("\r\n");
                var size = Convert.ToInt32(line.Split(';')[0], 16);
                if (size == 0)
                {
                    string trailer;
                    do
                    {
                        trailer = await LineAsync(cancellationToken);
                        body.Append(trailer).Append("\r\n");
                    }
                    while (trailer.Length > 0);

                    return body.ToString();
                }

                body.Append(await ReadExactlyAsync(size + 2, cancellationToken));
            }
        }

        if (Header(head, "Content-Length") is { } length)
        {
            return await ReadExactlyAsync(int.Parse(length), cancellationToken);
        }

        if (!untilClose)
        {
            return "";
        }

        while (await FillAsync(cancellationToken))
        {
        }

        return await ReadExactlyAsync(_buffer.Count, cancellationToken);
    }

    /// <summary>True when the stream ends with nothing more to read.</summary>
    public async Task<bool> EndedAsync(CancellationToken cancellationToken) => _buffer.Count == 0 && !await FillAsync(cancellationToken);

    public static string? Header(string head, string name) =>
        head.Split("\r\n").Skip(1).Where(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            .Select(l => l[(name.Length + 1)..].Trim()).FirstOrDefault();

    private async Task<string> LineAsync(CancellationToken cancellationToken)
    {
        while (IndexOf("\r\n"u8.ToArray()) is var end && end < 0)
        {
            if (!await FillAsync(cancellationToken))
            {
                throw new EndOfStreamException("The stream ended inside a chunked body.");
            }
        }

        var crlf = IndexOf("\r\n"u8.ToArray());
        var line = Encoding.Latin1.GetString([.. _buffer.Take(crlf)]);
        _buffer.RemoveRange(0, crlf + 2);
        return line;
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        var chunk = new byte[4096];
        var read = await stream.ReadAsync(chunk, cancellationToken);
        _buffer.AddRange(chunk.AsSpan(0, read));
        return read > 0;
    }

    private int IndexOf(byte[] pattern)
    {
        for (var i = 0; i + pattern.Length <= _buffer.Count; i++)
        {
            var match = true;
            for (var j = 0; j < pattern.Length && match; j++)
            {
                match = _buffer[i + j] == pattern[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }
}
