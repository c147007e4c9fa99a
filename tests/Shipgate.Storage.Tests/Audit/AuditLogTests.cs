using Shipgate.Storage.Audit;
using Shipgate.Storage.Tests.Infrastructure;

namespace Shipgate.Storage.Tests.Audit;

public abstract class AuditLogTests(StoreTarget target) : StoreTests(target)
{
    [Fact]
    public async Task Append_Entries_ChainedAndVerified()
    {
        var entries = await AppendFiveAsync();

        Assert.Equal([1L, 2L, 3L, 4L, 5L], entries.Select(e => e.Sequence));
        Assert.Equal("", entries[0].PreviousHash);
        Assert.All(entries.Skip(1).Zip(entries), pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));
        Assert.Equal(entries, await Store.Audit.ListAsync(cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal(new AuditVerification(5, null, null), await Store.Audit.VerifyChainAsync(Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task Verify_EmptyLog_Whole()
    {
        var result = await Store.Audit.VerifyChainAsync(Cancel).DefaultTimeout();

        Assert.True(result.IsValid);
        Assert.Equal(0, result.Entries);
    }

    [Fact]
    public async Task Verify_EntryChanged_NamesIt()
    {
        await AppendFiveAsync();

        await ExecuteRawAsync("UPDATE audit_log SET reason = 'nothing to see here' WHERE sequence = 3");

        var result = await Store.Audit.VerifyChainAsync(Cancel).DefaultTimeout();
        Assert.False(result.IsValid);
        Assert.Equal(3, result.FirstBadSequence);
        Assert.Equal("Entry 3 was changed: its content does not match its hash.", result.Problem);
    }

    [Fact]
    public async Task Verify_EntryChangedAndRehashed_NextEntryNamed()
    {
        var entries = await AppendFiveAsync();
        var forged = AuditHasher.Hash(2, entries[1].At, "mallory", entries[1].Action, entries[1].Target, entries[1].Reason, entries[1].BeforeJson, entries[1].AfterJson, entries[1].PreviousHash);

        await ExecuteRawAsync($"UPDATE audit_log SET actor = 'mallory', hash = '{forged}' WHERE sequence = 2");

        var result = await Store.Audit.VerifyChainAsync(Cancel).DefaultTimeout();
        Assert.Equal(3, result.FirstBadSequence);
        Assert.Contains("does not follow entry 2", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_EntryDeleted_NamesTheGap()
    {
        await AppendFiveAsync();

        await ExecuteRawAsync("DELETE FROM audit_log WHERE sequence = 2");

        var result = await Store.Audit.VerifyChainAsync(Cancel).DefaultTimeout();
        Assert.Equal(2, result.FirstBadSequence);
        Assert.Equal("Entry 2 is missing: entry 3 follows entry 1.", result.Problem);
    }

    [Fact]
    public async Task Verify_LastEntryDeleted_Detected()
    {
        await AppendFiveAsync();

        await ExecuteRawAsync("DELETE FROM audit_log WHERE sequence = 5");

        var result = await Store.Audit.VerifyChainAsync(Cancel).DefaultTimeout();
        Assert.Equal(5, result.FirstBadSequence);
        Assert.Contains("Entry 5 is missing", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_EntriesReordered_Detected()
    {
        await AppendFiveAsync();

        // Swap entries 2 and 4 by renumbering them.
        await ExecuteRawAsync("UPDATE audit_log SET sequence = -2 WHERE sequence = 2");
        await ExecuteRawAsync("UPDATE audit_log SET sequence = 2 WHERE sequence = 4");
        await ExecuteRawAsync("UPDATE audit_log SET sequence = 4 WHERE sequence = -2");

        var result = await Store.Audit.VerifyChainAsync(Cancel).DefaultTimeout();
        Assert.Equal(2, result.FirstBadSequence);
    }

    [Fact]
    public async Task Append_ConcurrentlyFromTwoStores_OneUnbrokenChain()
    {
        await using var other = await Target.OpenAsync(Time, Cancel).DefaultTimeout();

        await Task.WhenAll(Enumerable.Range(0, 30).Select(i => (i % 2 == 0 ? Store : other).Audit.AppendAsync(new NewAuditEntry { Actor = "a", Action = "test", Target = $"t/{i}" }, Cancel))).DefaultTimeout();

        Assert.Equal(new AuditVerification(30, null, null), await Store.Audit.VerifyChainAsync(Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task List_SinceAndAfter_Filters()
    {
        await AppendFiveAsync();

        Assert.Equal([4L, 5L], (await Store.Audit.ListAsync(afterSequence: 3, cancellationToken: Cancel).DefaultTimeout()).Select(e => e.Sequence));
        Assert.Equal([5L], (await Store.Audit.ListAsync(since: StoredNow, cancellationToken: Cancel).DefaultTimeout()).Select(e => e.Sequence));
    }

    private async Task<List<AuditEntry>> AppendFiveAsync()
    {
        var entries = new List<AuditEntry>();
        string[] actions = ["user.add", "approval.approve", "deployment.start", "deployment.rollback", "webhook.rejected"];
        foreach (var action in actions)
        {
            if (entries.Count > 0)
            {
                Time.Advance(TimeSpan.FromSeconds(1.5));
            }

            entries.Add(await Store.Audit.AppendAsync(new NewAuditEntry
            {
                Actor = "alice",
                Action = action,
                Target = "deployment/7",
                Reason = action == "deployment.rollback" ? "error rate above 1%" : null,
                BeforeJson = "{\"status\": \"progressing\"}",
                AfterJson = "{\"status\":\"rolled-back\",\"ünïcødé\":\"✓\"}",
            }, Cancel).DefaultTimeout());
        }

        return entries;
    }

    public sealed class OnSqlite() : AuditLogTests(new SqliteStoreTarget());

    public sealed class OnPostgres(PostgresServer server) : AuditLogTests(new PostgresStoreTarget(server));
}
