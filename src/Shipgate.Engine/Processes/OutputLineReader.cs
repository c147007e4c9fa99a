using System.Buffers;
using System.Text;

namespace Shipgate.Engine.Processes;

/// <summary>
/// Turns a byte stream into lines with bounded memory: UTF-8 decoded across read boundaries, split on
/// <c>\n</c>, <c>\r\n</c> or a lone <c>\r</c> (as .NET's and GitHub's readers do), and cut into partial lines at
/// <c>maxLineLength</c> characters, never inside a surrogate pair.
/// </summary>
internal sealed class OutputLineReader
{
    private const int ReadSize = 16 * 1024;

    private readonly OutputStream _kind;
    private readonly int _maxLineLength;
    private readonly Func<OutputLine, ValueTask> _deliver;
    private char[] _line = [];
    private int _length;
    private bool _pendingCarriageReturn;

    public OutputLineReader(OutputStream kind, int maxLineLength, Func<OutputLine, ValueTask> deliver)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineLength, 2);
        _kind = kind;
        _maxLineLength = maxLineLength;
        _deliver = deliver;
    }

    /// <summary>Reads until end of stream, handing each line to the delivery function.</summary>
    public async Task PumpAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
        var bytes = ArrayPool<byte>.Shared.Rent(ReadSize);
        var chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(ReadSize));

        // Rented, not allocated: a fresh 64K-char line buffer per stream per step is a large-object-heap allocation.
        _line = ArrayPool<char>.Shared.Rent(_maxLineLength);
        try
        {
            int read;
            while ((read = await ReadAsync(stream, bytes, cancellationToken).ConfigureAwait(false)) > 0)
            {
                var count = decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
                await ConsumeAsync(chars, count).ConfigureAwait(false);
            }

            var last = decoder.GetChars([], 0, 0, chars, 0, flush: true);
            await ConsumeAsync(chars, last).ConfigureAwait(false);
            if (_length > 0)
            {
                await EmitAsync(partial: false).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<char>.Shared.Return(chars);
            ArrayPool<char>.Shared.Return(_line);
            _line = [];
        }
    }

    private static async ValueTask<int> ReadAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await stream.ReadAsync(buffer.AsMemory(0, ReadSize), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe broke or was closed under us: that is the end of this output.
            return 0;
        }
    }

    private async ValueTask ConsumeAsync(char[] chars, int count)
    {
        var offset = 0;
        while (offset < count)
        {
            if (_pendingCarriageReturn)
            {
                _pendingCarriageReturn = false;
                if (chars[offset] == '\n')
                {
                    offset++;
                    continue;
                }
            }

            var end = chars.AsSpan(offset, count - offset).IndexOfAny('\r', '\n');
            var segmentLength = end < 0 ? count - offset : end;
            offset = await AppendAsync(chars, offset, segmentLength).ConfigureAwait(false);
            if (end < 0)
            {
                break;
            }

            _pendingCarriageReturn = chars[offset] == '\r';
            offset++;
            await EmitAsync(partial: false).ConfigureAwait(false);
        }
    }

    private async ValueTask<int> AppendAsync(char[] chars, int offset, int count)
    {
        while (count > 0)
        {
            if (_length == _maxLineLength)
            {
                await EmitAsync(partial: true).ConfigureAwait(false);
            }

            var take = Math.Min(count, _maxLineLength - _length);
            chars.AsSpan(offset, take).CopyTo(_line.AsSpan(_length));
            _length += take;
            offset += take;
            count -= take;
        }

        return offset;
    }

    private ValueTask EmitAsync(bool partial)
    {
        var length = _length;
        // Keep a pair together: a high surrogate at the cut goes to the next piece.
        var carry = partial && char.IsHighSurrogate(_line[length - 1]);
        if (carry)
        {
            length--;
        }

        var text = new string(_line, 0, length);
        if (carry)
        {
            _line[0] = _line[length];
            _length = 1;
        }
        else
        {
            _length = 0;
        }

        return _deliver(new OutputLine(_kind, text, partial));
    }
}
