using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Shipgate.Storage.Database;

namespace Shipgate.Storage.Audit;

/// <summary>
/// <c>DATA/audit.checkpoint</c>: the audit log's head, written outside the database after each commit that
/// appended entries, one keyed line per commit, appended and synced before the writers are told they are done.
/// A group commit of many writes costs one line and one sync; concurrent commits share one (the latest head
/// covers every entry before it). Truncating, emptying or rewriting the table is then caught by the lines.
/// </summary>
internal sealed class AuditCheckpointFile(string path, AuditKey key, TimeProvider time, ILogger logger)
{
    // One turn per file, also across the stores of one process that share a data directory.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Turns = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim _turn = Turns.GetOrAdd(System.IO.Path.GetFullPath(path), _ => new SemaphoreSlim(1, 1));
    private readonly Lock _pendingLock = new();
    private long _pendingSequence;
    private string _pendingHash = "";
    private long _durable;

    public string Path => path;

    /// <summary>Writes a checkpoint for the committed head <paramref name="sequence"/> unless a later one already covers it.</summary>
    public async Task RecordAsync(long sequence, string hash)
    {
        lock (_pendingLock)
        {
            if (sequence > _pendingSequence)
            {
                _pendingSequence = sequence;
                _pendingHash = hash;
            }
        }

        await _turn.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_durable >= sequence)
            {
                return;
            }

            long head;
            string headHash;
            lock (_pendingLock)
            {
                head = _pendingSequence;
                headHash = _pendingHash;
            }

            var at = StoreClock.Now(time).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
            var line = new AuditCheckpoint(head, headHash, key.CheckpointMac(head, headHash, at), at) + "\n";
            using (var stream = new FileStream(path, KeyFile.PrivateFile(FileMode.Append)))
            {
                stream.Write(Encoding.ASCII.GetBytes(line));
                stream.Flush(flushToDisk: true);
            }

            _durable = head;
        }
        catch (Exception exception)
        {
            // The entries are committed and their writers must hear so; the next checkpoint covers them too.
            // Loud, not fatal.
            Log.AuditCheckpointFailed(logger, path, exception);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Every checkpoint in the file (none when it does not exist), read between appends.</summary>
    public async Task<IReadOnlyList<AuditCheckpoint>> ReadAsync(CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!File.Exists(path))
            {
                return [];
            }

            // A line a crash cut short (no newline yet) was never acknowledged: it is not a checkpoint.
            var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            return AuditCheckpoint.ParseAll(text[..(text.LastIndexOf('\n') + 1)]);
        }
        catch (StoreException exception)
        {
            throw new StoreException($"The audit checkpoint file {path} is damaged: {exception.Message}", exception);
        }
        finally
        {
            _turn.Release();
        }
    }
}
