using Microsoft.Extensions.Time.Testing;
using Shipgate.Storage.Projects;
using Shipgate.Storage.Runs;

namespace Shipgate.Storage.Tests.Infrastructure;

/// <summary>
/// The base of every store test class. A test class is abstract and holds the tests; its nested
/// <c>OnSqlite</c> and <c>OnPostgres</c> classes run the same tests against each engine.
/// </summary>
public abstract class StoreTests(StoreTarget target) : IAsyncLifetime
{
    protected StoreTarget Target => target;

    /// <summary>A clock with sub-microsecond ticks, so the tests see that timestamps are truncated consistently.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(1_234_567));

    protected ShipgateStore Store { get; private set; } = null!;

    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Now as the store records it (microseconds).</summary>
    protected DateTimeOffset StoredNow
    {
        get
        {
            var ticks = Time.GetUtcNow().UtcTicks;
            return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
        }
    }

    public virtual async ValueTask InitializeAsync() => Store = await target.OpenAsync(Time, Cancel).DefaultTimeout();

    public virtual async ValueTask DisposeAsync()
    {
        if (Store is not null)
        {
            await Store.DisposeAsync();
        }

        await target.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected async Task<ProjectRecord> NewProjectAsync(string name = "web") =>
        (await Store.Projects.CreateAsync(new NewProject { Name = name, Repository = "/srv/git/" + name }, cancellationToken: Cancel).DefaultTimeout())!;

    protected Task<RunRecord> NewRunAsync(long projectId, string workflow = ".github/workflows/ci.yml", string initiator = "alice") =>
        Store.Runs.CreateRunAsync(new NewRun
        {
            ProjectId = projectId,
            WorkflowPath = workflow,
            WorkflowName = "CI",
            Event = "push",
            Ref = "refs/heads/main",
            Sha = "0123456789abcdef0123456789abcdef01234567",
            Actor = initiator,
        }, Cancel).DefaultTimeout();

    /// <summary>Raw SQL straight to the database, as someone tampering with it would write it.</summary>
    protected Task<int> ExecuteRawAsync(string sql) =>
        Store.Database.WriteAsync(session => session.Sql(sql).ExecuteAsync(Cancel), Cancel).DefaultTimeout();

    protected Task<object?> ScalarRawAsync(string sql) =>
        Store.Database.ReadAsync(session => session.Sql(sql).ScalarAsync(Cancel), Cancel).DefaultTimeout();
}
