using Shipgate.Storage.Tests.Infrastructure;

namespace Shipgate.Storage.Tests;

public sealed class ShipgateStoreTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("shipgate-store-").FullName;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Open_NoConnectionString_SqliteInTheDataDirectory()
    {
        await using var store = await ShipgateStore.OpenAsync(new StoreOptions { DataDirectory = _data }, Cancel).DefaultTimeout();

        Assert.Equal(StoreProvider.Sqlite, store.Provider);
        Assert.True(File.Exists(Path.Combine(_data, "shipgate.db")));
        Assert.Equal(ShipgateStore.LatestSchemaVersion, store.SchemaVersion);
    }

    [Fact]
    public async Task Open_FirstTimeThenAgain_LogsMigrationsOnce()
    {
        var first = new RecordingLogger();
        var second = new RecordingLogger();

        await (await ShipgateStore.OpenAsync(new StoreOptions { DataDirectory = _data, Logger = first }, Cancel).DefaultTimeout()).DisposeAsync();
        await (await ShipgateStore.OpenAsync(new StoreOptions { DataDirectory = _data, Logger = second }, Cancel).DefaultTimeout()).DisposeAsync();

        Assert.Equal([.. Shipgate.Storage.Database.Migrations.StoreMigrations.All.Select(_ => 2002), 2001], first.Entries.Select(e => e.EventId));
        Assert.Contains("applied migration 1 (initial schema)", first.Entries[0].Message, StringComparison.Ordinal);
        Assert.Equal([2001], second.Entries.Select(e => e.EventId));
    }

    [Fact]
    public async Task Open_DataSource_SqliteAtThatPath()
    {
        var file = Path.Combine(_data, "elsewhere", "my.db");

        await using var store = await ShipgateStore.OpenAsync(new StoreOptions { DataDirectory = _data, ConnectionString = $"Data Source={file}" }, Cancel).DefaultTimeout();

        Assert.True(File.Exists(file));
        Assert.Equal(file, store.Description);
    }

    [Fact]
    public async Task Open_UnrecognizedConnection_OneSentence()
    {
        var error = await Assert.ThrowsAsync<StoreException>(() => ShipgateStore.OpenAsync(new StoreOptions { DataDirectory = _data, ConnectionString = "mysql://nope" }, Cancel)).DefaultTimeout();

        Assert.Equal("The database connection is neither a postgres:// URL, nor an Npgsql string with Host=, nor Data Source=PATH for SQLite.", error.Message);
    }

    [Fact]
    public async Task Open_PostgresUnreachable_SaysSoWithoutThePassword()
    {
        var error = await Assert.ThrowsAsync<StoreException>(() => ShipgateStore.OpenAsync(new StoreOptions { DataDirectory = _data, ConnectionString = $"postgres://shipgate:hunter2@localhost:5999/shipgate?host={Path.Combine(_data, "no-socket")}&Timeout=3" }, Cancel)).DefaultTimeout();

        Assert.StartsWith("The PostgreSQL store ", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be reached", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
