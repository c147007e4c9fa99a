namespace Shipgate.Storage.Tests.Infrastructure;

public sealed class SqliteStoreTarget : StoreTarget
{
    public override StoreProvider Provider => StoreProvider.Sqlite;

    public override Task<string?> ConnectionStringAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
