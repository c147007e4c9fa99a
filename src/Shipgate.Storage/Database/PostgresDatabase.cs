using System.Data;
using Npgsql;

namespace Shipgate.Storage.Database;

/// <summary>A PostgreSQL database through a pooled <see cref="NpgsqlDataSource"/>; several servers may share it.</summary>
internal sealed class PostgresDatabase(NpgsqlDataSource dataSource, string description) : StoreDatabase
{
    public override SqlDialect Dialect => PostgresDialect.Instance;

    public override string Description => description;

    public static PostgresDatabase Open(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString.Normalize(connectionString));
        var description = $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
        // The slim builder: only the basic types the store uses, so a trimmed or Native AOT shipgate stays small.
        var dataSourceBuilder = new NpgsqlSlimDataSourceBuilder(builder.ConnectionString);
        return new PostgresDatabase(dataSourceBuilder.Build(), description);
    }

    public override async Task<T> WriteAsync<T>(Func<DbSession, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        var session = new DbSession(connection, transaction, Dialect);
        var result = await work(session).ConfigureAwait(false);
        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        await session.RunAfterCommitAsync().ConfigureAwait(false);
        return result;
    }

    public override async Task<T> ReadAsync<T>(Func<DbSession, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        return await work(new DbSession(connection, transaction, Dialect)).ConfigureAwait(false);
    }

    public override ValueTask DisposeAsync() => dataSource.DisposeAsync();

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException exception) when (exception is not PostgresException)
        {
            throw new StoreException($"The PostgreSQL store {description} cannot be reached: {exception.Message}", exception);
        }
    }
}
