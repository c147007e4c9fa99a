using System.Text;

namespace Shipgate.Server.Runs;

/// <summary>
/// Reads the complete lines of a step's log file (<c>TIMESTAMP text</c>, written by the engine and flushed
/// as it goes) from a byte offset, a buffer at a time, so a log of any size is streamed with flat memory:
/// after each buffer the caller flushes what it wrote (and waits for a slow client there).
/// </summary>
internal static class StepLogTail
{
    private const int ChunkSize = 64 * 1024;

    /// <summary>
    /// Calls <paramref name="line"/> with each complete line after <paramref name="offset"/> and the offset
    /// just past it; with <paramref name="final"/>, also a last line without its newline; and
    /// <paramref name="afterChunk"/> after each buffer read. Returns the new offset.
    /// </summary>
    public static async Task<long> ReadAsync(string path, long offset, bool final, Action<string, long> line, Func<CancellationToken, ValueTask> afterChunk, CancellationToken cancellationToken)
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
        var pending = new MemoryStream();
        var start = offset;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            var from = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    continue;
                }

                pending.Write(buffer, from, i - from);
                start += pending.Length + 1;
                line(Decode(pending), start);
                pending.SetLength(0);
                from = i + 1;
            }

            pending.Write(buffer, from, read - from);
            await afterChunk(cancellationToken).ConfigureAwait(false);
        }

        if (final && pending.Length > 0)
        {
            start += pending.Length;
            line(Decode(pending), start);
        }

        return start;
    }

    private static string Decode(MemoryStream bytes) => Encoding.UTF8.GetString(bytes.GetBuffer(), 0, (int)bytes.Length).TrimEnd('\r');
}
