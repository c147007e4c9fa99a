namespace Shipgate.Storage.Tests.Infrastructure;

/// <summary>Where a test's store lives: a real SQLite file in a temporary folder, or a fresh schema on the real PostgreSQL server.</summary>
public abstract class StoreTarget : IAsyncDisposable
{
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("shipgate-store-").FullName;

    public abstract StoreProvider Provider { get; }

    /// <summary>Opens (and migrates) the target's store; every call opens the same database.</summary>
    public async Task<ShipgateStore> OpenAsync(TimeProvider time, CancellationToken cancellationToken) =>
        await ShipgateStore.OpenAsync(new StoreOptions
        {
            DataDirectory = DataDirectory,
            ConnectionString = await ConnectionStringAsync(cancellationToken),
            TimeProvider = time,
        }, cancellationToken);

    /// <summary>The connection string (null for SQLite in the data directory).</summary>
    public abstract Task<string?> ConnectionStringAsync(CancellationToken cancellationToken);

    public ValueTask DisposeAsync()
    {
        Directory.Delete(DataDirectory, recursive: true);
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
