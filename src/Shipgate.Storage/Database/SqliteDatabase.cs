using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Shipgate.Storage.Database;

/// <summary>
/// An SQLite file in WAL mode: one writer connection that every write takes in turn (SQLite allows one
/// writer anyway; taking turns in process avoids busy retries), and pooled readers that never wait for it.
/// Writes are committed in groups: the writes that queued up while the writer was busy run in one
/// transaction, each in a savepoint of its own (one that fails is undone alone), and one commit (one
/// sync of the write-ahead log) makes all of them durable before any caller is told it succeeded.
/// </summary>
internal sealed class SqliteDatabase : StoreDatabase
{
    private const int BusyTimeoutMilliseconds = 30_000;

    // Enough to share one sync among every run a server executes at once.
    private const int MaxWritesPerCommit = 256;

    private readonly SemaphoreSlim _writeTurn = new(1, 1);
    private readonly ConcurrentQueue<QueuedWrite> _queue = new();
    private readonly SqliteConnection _writer;
    private readonly string _readerConnectionString;
    private readonly string _path;

    private SqliteDatabase(SqliteConnection writer, string readerConnectionString, string path)
    {
        _writer = writer;
        _readerConnectionString = readerConnectionString;
        _path = path;
    }

    public override SqlDialect Dialect => SqliteDialect.Instance;

    public override string Description => _path;

    public static async Task<SqliteDatabase> OpenAsync(string path, SqliteSynchronous synchronous, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var writerBuilder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = false,
        };
        var readerBuilder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            ForeignKeys = true,
            Pooling = true,
        };

        var writer = new SqliteConnection(writerBuilder.ToString());
        try
        {
            await writer.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (var pragma = writer.CreateCommand())
            {
                pragma.CommandText = "PRAGMA journal_mode=WAL";
                var mode = (string?)await pragma.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    throw new StoreException($"The store {path} cannot use SQLite's write-ahead log (journal mode stays '{mode}'); put the data directory on a local file system.");
                }

                var level = synchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL";
                pragma.CommandText = $"PRAGMA synchronous={level}; PRAGMA busy_timeout={BusyTimeoutMilliseconds}";
                await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SqliteException exception)
        {
            await writer.DisposeAsync().ConfigureAwait(false);
            throw new StoreException($"The store {path} cannot be opened: {exception.Message}", exception);
        }
        catch
        {
            await writer.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new SqliteDatabase(writer, readerBuilder.ToString(), path);
    }

    public override async Task<T> WriteAsync<T>(Func<DbSession, Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        T result = default!;
        _queue.Enqueue(new QueuedWrite(
            async session => result = await work(session).ConfigureAwait(false),
            () => completion.TrySetResult(result),
            exception => completion.TrySetException(exception)));

        // Whoever holds the writer commits everything queued, this write included or a later one's turn does.
        while (!completion.Task.IsCompleted)
        {
            await _writeTurn.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                if (!completion.Task.IsCompleted)
                {
                    await CommitQueuedAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                _writeTurn.Release();
            }
        }

        return await completion.Task.ConfigureAwait(false);
    }

    /// <summary>Runs the queued writes in one transaction, a savepoint each, and commits them together.</summary>
    private async Task CommitQueuedAsync()
    {
        var batch = new List<QueuedWrite>();
        while (batch.Count < MaxWritesPerCommit && _queue.TryDequeue(out var write))
        {
            batch.Add(write);
        }

        if (batch.Count == 0)
        {
            return;
        }

        var done = new List<QueuedWrite>(batch.Count);
        DbSession afterCommit;
        try
        {
            // BEGIN IMMEDIATE: take the write lock now, so another process writing the same file makes
            // this wait (busy_timeout) instead of failing half-way through the transaction.
            await using var transaction = _writer.BeginTransaction(deferred: false);
            var session = new DbSession(_writer, transaction, Dialect);
            foreach (var write in batch)
            {
                await transaction.SaveAsync("write").ConfigureAwait(false);
                var mark = session.AfterCommitMark;
                try
                {
                    await write.Run(session).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    session.UndoAfterCommit(mark);
                    await transaction.RollbackAsync("write").ConfigureAwait(false);
                    await transaction.ReleaseAsync("write").ConfigureAwait(false);
                    write.Fail(exception);
                    continue;
                }

                await transaction.ReleaseAsync("write").ConfigureAwait(false);
                done.Add(write);
            }

            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            afterCommit = session;
        }
        catch (Exception exception)
        {
            // The transaction is gone (rolled back): nothing of the batch was written.
            foreach (var write in batch)
            {
                write.Fail(exception);
            }

            return;
        }

        // Committed: what must follow the commit (the audit checkpoint) is done before any caller hears of it,
        // and every caller hears of it whatever that did.
        try
        {
            await afterCommit.RunAfterCommitAsync().ConfigureAwait(false);
        }
        finally
        {
            foreach (var write in done)
            {
                write.Succeed();
            }
        }
    }

    public override async Task<T> ReadAsync<T>(Func<DbSession, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_readerConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = $"PRAGMA busy_timeout={BusyTimeoutMilliseconds}";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // A deferred transaction: the statements of one read see one snapshot of the WAL.
        await using var transaction = connection.BeginTransaction(deferred: true);
        return await work(new DbSession(connection, transaction, Dialect)).ConfigureAwait(false);
    }

    public override async ValueTask DisposeAsync()
    {
        await _writeTurn.WaitAsync().ConfigureAwait(false);
        try
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
            using var pooled = new SqliteConnection(_readerConnectionString);
            SqliteConnection.ClearPool(pooled);
        }
        finally
        {
            _writeTurn.Release();
        }
    }
}
