using Shipgate.Storage.Audit;
using Shipgate.Storage.Tests.Infrastructure;

namespace Shipgate.Storage.Tests.Audit;

/// <summary>The audit page's query: filters, newest first, a page at a time.</summary>
public abstract class AuditSearchTests(StoreTarget target) : StoreTests(target)
{
    [Fact]
    public async Task Search_Filters_NewestFirst_PagedBySequence_WithLikeWildcardsLiteral()
    {
        foreach (var (actor, action, target) in new[]
        {
            ("alice", "user.create", "user/bob"), ("bob", "project.create", "project/web"), ("alice", "project.create", "project/web_2"),
            ("alice", "project.create", "project/webX"), ("carol", "user.create", "user/dave"),
        })
        {
            await Store.Audit.AppendAsync(new NewAuditEntry { Actor = actor, Action = action, Target = target }, Cancel).DefaultTimeout();
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        var byAlice = await Store.Audit.SearchAsync(new AuditQuery { Actor = "alice", Action = "project.create" }, Cancel).DefaultTimeout();
        var literal = await Store.Audit.SearchAsync(new AuditQuery { TargetPrefix = "project/web_" }, Cancel).DefaultTimeout();
        var firstPage = await Store.Audit.SearchAsync(new AuditQuery { Limit = 2 }, Cancel).DefaultTimeout();
        var nextPage = await Store.Audit.SearchAsync(new AuditQuery { Limit = 2, BeforeSequence = firstPage[^1].Sequence }, Cancel).DefaultTimeout();
        var early = await Store.Audit.SearchAsync(new AuditQuery { To = Time.GetUtcNow().AddMinutes(-3) }, Cancel).DefaultTimeout();

        Assert.Equal(["project/webX", "project/web_2"], byAlice.Select(e => e.Target));
        Assert.Equal(["project/web_2"], literal.Select(e => e.Target));
        Assert.Equal(["user/dave", "project/webX"], firstPage.Select(e => e.Target));
        Assert.Equal(["project/web_2", "project/web"], nextPage.Select(e => e.Target));
        Assert.Equal(["project/web", "user/bob"], early.Select(e => e.Target));
    }

    public sealed class OnSqlite() : AuditSearchTests(new SqliteStoreTarget());

    public sealed class OnPostgres(PostgresServer server) : AuditSearchTests(new PostgresStoreTarget(server));
}
