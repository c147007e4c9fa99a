namespace Shipgate.Server.Runs;

/// <summary>
/// Reads the complete lines of a step's log file (<c>TIMESTAMP text</c>, written by the engine and flushed
/// as it goes) from a byte offset, a buffer at a time, so a log of any size is streamed with flat memory:
/// after each buffer the caller flushes what it wrote (and waits for a slow client there). Lines are
/// handed over as the file's bytes, without a string each.
/// </summary>
internal static class StepLogTail
{
    private const int ChunkSize = 64 * 1024;

    /// <summary>
    /// Calls <paramref name="line"/> with each complete line after <paramref name="offset"/> (its bytes,
    /// without the line break) and the offset just past it; with <paramref name="final"/>, also a last line
    /// without its newline; and <paramref name="afterChunk"/> after each buffer read. Returns the new offset.
    /// </summary>
    public static async Task<long> ReadAsync(string path, long offset, bool final, Action<ReadOnlySpan<byte>, long> line, Func<CancellationToken, ValueTask> afterChunk, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return offset;
        }

        await using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        });
        if (offset > stream.Length)
        {
            return offset;
        }

        stream.Position = offset;
        var buffer = new byte[ChunkSize];

        // The start of a line that goes on in the next buffer.
        var pending = new MemoryStream();
        var start = offset;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            start = Split(buffer.AsSpan(0, read), pending, start, line);
            await afterChunk(cancellationToken).ConfigureAwait(false);
        }

        if (final && pending.Length > 0)
        {
            start += pending.Length;
            line(TrimReturn(pending.GetBuffer().AsSpan(0, (int)pending.Length)), start);
        }

        return start;
    }

    private static long Split(ReadOnlySpan<byte> chunk, MemoryStream pending, long start, Action<ReadOnlySpan<byte>, long> line)
    {
        int newline;
        while ((newline = chunk.IndexOf((byte)'\n')) >= 0)
        {
            ReadOnlySpan<byte> text;
            if (pending.Length == 0)
            {
                text = chunk[..newline];
            }
            else
            {
                pending.Write(chunk[..newline]);
                text = pending.GetBuffer().AsSpan(0, (int)pending.Length);
            }

            start += text.Length + 1;
            line(TrimReturn(text), start);
            pending.SetLength(0);
            chunk = chunk[(newline + 1)..];
        }

        pending.Write(chunk);
        return start;
    }

    private static ReadOnlySpan<byte> TrimReturn(ReadOnlySpan<byte> text) => text is [.. var rest, (byte)'\r'] ? rest : text;
}
