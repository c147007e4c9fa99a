namespace Shipgate.Storage.Database;

/// <summary>
/// Lends connections to units of work: a write runs in a transaction that commits before the method
/// returns (principle 4: durable before acted on); a read sees one consistent snapshot.
/// </summary>
internal abstract class StoreDatabase : IAsyncDisposable
{
    public abstract SqlDialect Dialect { get; }

    /// <summary>Where the data is, for messages (a file path or host and database, never a password).</summary>
    public abstract string Description { get; }

    public abstract Task<T> WriteAsync<T>(Func<DbSession, Task<T>> work, CancellationToken cancellationToken);

    public abstract Task<T> ReadAsync<T>(Func<DbSession, Task<T>> work, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}
