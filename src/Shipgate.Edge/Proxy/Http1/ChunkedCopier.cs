using System.Buffers;
using System.IO.Pipelines;

namespace Shipgate.Edge.Proxy.Http1;

/// <summary>
/// Copies a chunked body (RFC 9112 §7.1) as it arrives, byte for byte, while reading its framing to find where it
/// ends: chunk sizes in hex with optional extensions, each chunk's data and CRLF, the last chunk and the trailer
/// fields. Anything else is malformed, and the exchange is abandoned rather than guessed at.
/// </summary>
internal sealed class ChunkedCopier
{
    // A chunk-size line or a trailer line longer than this is refused (Kestrel allows a little less for extensions).
    private const int MaxLine = 4096;

    private State _state;
    private long _remaining;
    private int _trailerBytes;

    private enum State
    {
        Size,
        Data,
        DataEnd,
        Trailer,
        Done,
    }

    public bool IsDone => _state == State.Done;

    public void Reset() => (_state, _remaining, _trailerBytes) = (State.Size, 0, 0);

    /// <summary>
    /// Copies what of <paramref name="buffer"/> can be framed to <paramref name="output"/> and returns the position up
    /// to which it was consumed; <paramref name="malformed"/> when the framing is broken.
    /// </summary>
    public SequencePosition Copy(ReadOnlySequence<byte> buffer, PipeWriter output, out bool malformed)
    {
        malformed = false;
        while (_state != State.Done)
        {
            switch (_state)
            {
                case State.Size:
                    if (!TryReadLine(ref buffer, output, out var line, ref malformed))
                    {
                        return buffer.Start;
                    }

                    if (!TryParseSize(line, out _remaining))
                    {
                        malformed = true;
                        return buffer.Start;
                    }

                    _state = _remaining == 0 ? State.Trailer : State.Data;
                    break;
                case State.Data:
                    if (buffer.IsEmpty)
                    {
                        return buffer.Start;
                    }

                    var take = buffer.Slice(0, Math.Min(_remaining, buffer.Length));
                    foreach (var segment in take)
                    {
                        output.Write(segment.Span);
                    }

                    _remaining -= take.Length;
                    buffer = buffer.Slice(take.End);
                    _state = _remaining == 0 ? State.DataEnd : State.Data;
                    break;
                case State.DataEnd:
                    if (buffer.Length < 2)
                    {
                        return buffer.Start;
                    }

                    if (!new SequenceReader<byte>(buffer).IsNext(HttpBytes.Crlf))
                    {
                        malformed = true;
                        return buffer.Start;
                    }

                    output.Write(HttpBytes.Crlf);
                    buffer = buffer.Slice(2);
                    _state = State.Size;
                    break;
                case State.Trailer:
                    if (!TryReadLine(ref buffer, output, out line, ref malformed))
                    {
                        return buffer.Start;
                    }

                    _trailerBytes += (int)line.Length + 2;
                    if (line.IsEmpty)
                    {
                        _state = State.Done;
                    }
                    else if (_trailerBytes > ResponseHead.MaxBytes || !IsField(line))
                    {
                        malformed = true;
                        return buffer.Start;
                    }

                    break;
            }
        }

        return buffer.Start;
    }

    // A whole line (up to CRLF) is consumed and copied; false when it has not all arrived (or is too long: malformed).
    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, PipeWriter output, out ReadOnlySequence<byte> line, ref bool malformed)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out line, HttpBytes.Crlf, advancePastDelimiter: true))
        {
            malformed = buffer.Length > MaxLine;
            return false;
        }

        if (line.Length > MaxLine)
        {
            malformed = true;
            return false;
        }

        foreach (var segment in line)
        {
            output.Write(segment.Span);
        }

        output.Write(HttpBytes.Crlf);
        buffer = buffer.Slice(reader.Position);
        return true;
    }

    // chunk-size [ chunk-ext ]: 1 to 15 hex digits, then nothing, or optional whitespace and ';' extensions.
    private static bool TryParseSize(ReadOnlySequence<byte> sequence, out long size)
    {
        size = 0;
        Span<byte> line = stackalloc byte[(int)sequence.Length];
        sequence.CopyTo(line);
        var digits = 0;
        while (digits < line.Length && digits < 16 && IsHex(line[digits]))
        {
            size = (size << 4) | (long)HexValue(line[digits]);
            digits++;
        }

        if (digits is 0 or > 15)
        {
            return false;
        }

        var rest = line[digits..].TrimStart(" \t"u8);
        return (rest.IsEmpty && digits == line.Length) || (rest.Length > 0 && rest[0] == ';' && HttpBytes.IsResponseValue(rest));
    }

    private static bool IsField(ReadOnlySequence<byte> sequence)
    {
        Span<byte> line = stackalloc byte[(int)sequence.Length];
        sequence.CopyTo(line);
        var offset = 0;
        return HttpBytes.TryReadField(line, ref offset, response: true, out _, out _);
    }

    private static bool IsHex(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
