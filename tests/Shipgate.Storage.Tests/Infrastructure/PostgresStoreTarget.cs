namespace Shipgate.Storage.Tests.Infrastructure;

public sealed class PostgresStoreTarget(PostgresServer server) : StoreTarget
{
    private string? _connectionString;

    public override StoreProvider Provider => StoreProvider.Postgres;

    public override async Task<string?> ConnectionStringAsync(CancellationToken cancellationToken) =>
        _connectionString ??= await server.CreateSchemaAsync(cancellationToken);
}
