using Microsoft.Data.Sqlite;

namespace Shipgate.Storage.Database;

/// <summary>
/// An SQLite file in WAL mode: one writer connection that every write takes in turn (SQLite allows one
/// writer anyway; taking turns in process avoids busy retries), and pooled readers that never wait for it.
/// </summary>
internal sealed class SqliteDatabase : StoreDatabase
{
    private const int BusyTimeoutMilliseconds = 30_000;

    private readonly SemaphoreSlim _writeTurn = new(1, 1);
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
        await _writeTurn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // BEGIN IMMEDIATE: take the write lock now, so another process writing the same file makes
            // this wait (busy_timeout) instead of failing half-way through the transaction.
            await using var transaction = _writer.BeginTransaction(deferred: false);
            var result = await work(new DbSession(_writer, transaction, Dialect)).ConfigureAwait(false);
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _writeTurn.Release();
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
