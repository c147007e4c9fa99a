using Shipgate.Storage.Database;
using Shipgate.Storage.Tests.Infrastructure;

namespace Shipgate.Storage.Tests.Database;

/// <summary>SQLite's group commit: writes that queue up while the writer is busy share one transaction, a savepoint each.</summary>
public sealed class SqliteDatabaseTests : IAsyncLifetime
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly string _directory = Directory.CreateTempSubdirectory("shipgate-sqlite-").FullName;
    private SqliteDatabase _database = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await SqliteDatabase.OpenAsync(Path.Combine(_directory, "test.db"), SqliteSynchronous.Full, Cancel);
        await _database.WriteAsync(session => session.Sql("CREATE TABLE items (value INTEGER NOT NULL)").ExecuteAsync(Cancel), Cancel);
    }

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task WriteAsync_WritesQueuedBehindABusyWriterAndOneFails_OnlyTheFailedOneIsUndone()
    {
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = Task.Run(() => _database.WriteAsync(
            async session =>
            {
                holding.SetResult();
                await release.Task;
                return await Insert(session, 0);
            },
            Cancel));
        await holding.Task.DefaultTimeout();

        // Queued while the writer is busy: they are committed together, after the first.
        var queued = Enumerable.Range(1, 30).Select(i => Task.Run(() => _database.WriteAsync(
            async session =>
            {
                await Insert(session, i);
                return i % 10 == 0 ? throw new InvalidOperationException($"write {i} fails") : i;
            },
            Cancel))).ToList();
        release.SetResult();

        Assert.Equal(1, await first.DefaultTimeout());
        foreach (var (write, i) in queued.Select((w, n) => (w, n + 1)))
        {
            if (i % 10 == 0)
            {
                var error = await Assert.ThrowsAsync<InvalidOperationException>(() => write.DefaultTimeout());
                Assert.Equal($"write {i} fails", error.Message);
            }
            else
            {
                Assert.Equal(i, await write.DefaultTimeout());
            }
        }

        var stored = await _database.ReadAsync(session => session.Sql("SELECT value FROM items ORDER BY value").ListAsync(row => row.Int64(0), Cancel), Cancel);
        Assert.Equal(Enumerable.Range(0, 31).Where(i => i == 0 || i % 10 != 0).Select(i => (long)i), stored);
    }

    [Fact]
    public async Task WriteAsync_ManyConcurrentWrites_EachSeesTheOnesCommittedBeforeIt()
    {
        await _database.WriteAsync(session => session.Sql("CREATE TABLE counter (value INTEGER NOT NULL); INSERT INTO counter VALUES (0)").ExecuteAsync(Cancel), Cancel);

        var numbers = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => _database.WriteAsync(
            session => session.Sql("UPDATE counter SET value = value + 1 RETURNING value").Int64Async(Cancel),
            Cancel)))).DefaultTimeout();

        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), numbers.Order());
    }

    private static Task<int> Insert(DbSession session, int value) =>
        session.Sql("INSERT INTO items (value) VALUES (@value)").Add("@value", value).ExecuteAsync(Cancel);
}
