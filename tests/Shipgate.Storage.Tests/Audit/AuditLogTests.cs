using Shipgate.Storage.Database.Migrations;
using Shipgate.Storage.Audit;
using Shipgate.Storage.Tests.Infrastructure;

namespace Shipgate.Storage.Tests.Audit;

public abstract class AuditLogTests(StoreTarget target) : StoreTests(target)
{
    private string CheckpointPath => Path.Combine(Target.DataDirectory, "audit.checkpoint");

    [Fact]
    public async Task Append_Entries_ChainedKeyedAndVerified()
    {
        var entries = await AppendFiveAsync();

        Assert.Equal([1L, 2L, 3L, 4L, 5L], entries.Select(e => e.Sequence));
        Assert.Equal("", entries[0].PreviousHash);
        Assert.All(entries.Skip(1).Zip(entries), pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));
        Assert.All(entries, e => Assert.Matches("^[0-9a-f]{64}$", e.Mac));
        Assert.Equal(entries, await Store.Audit.ListAsync(cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal(new AuditVerification(5, null, null), await Store.Audit.VerifyChainAsync(Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task Append_Committed_CheckpointFileHoldsTheKeyedHead()
    {
        var entries = await AppendFiveAsync();

        var checkpoint = (await Store.Audit.LatestCheckpointAsync(Cancel).DefaultTimeout())!;
        Assert.Equal((5L, entries[4].Hash), (checkpoint.Sequence, checkpoint.Hash));
        Assert.Equal(checkpoint.ToString(), File.ReadAllLines(CheckpointPath)[^1]);
        Assert.Equal(32, new FileInfo(Path.Combine(Target.DataDirectory, "audit.key")).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Target.DataDirectory, "audit.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(CheckpointPath));
    }

    [Fact]
    public async Task Append_WriteRolledBack_NoCheckpointForIt()
    {
        await AppendFiveAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.Database.WriteAsync<bool>(async session =>
        {
            await Store.Audit.AppendAsync(session, new NewAuditEntry { Actor = "a", Action = "test", Target = "t" }, Cancel);
            throw new InvalidOperationException("the change failed");
        }, Cancel)).DefaultTimeout();

        Assert.Equal(5, (await Store.Audit.LatestCheckpointAsync(Cancel).DefaultTimeout())!.Sequence);
        Assert.True((await Store.Audit.VerifyChainAsync(Cancel).DefaultTimeout()).IsValid);
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
    public async Task Verify_EntryChangedAndChainRehashed_BadMacNamed()
    {
        var entries = await AppendFiveAsync();
        entries[1] = entries[1] with { Actor = "mallory" };

        await RewriteAsync(entries);

        var result = await Store.Audit.VerifyChainAsync(Cancel).DefaultTimeout();
        Assert.Equal(2, result.FirstBadSequence);
        Assert.Equal("Entry 2 has a bad MAC: it was changed, renumbered or rehashed without the audit key.", result.Problem);
    }

    [Fact]
    public async Task Verify_EntryDeletedRestRenumberedAndRehashed_BadMacNamed()
    {
        var entries = await AppendFiveAsync();
        await ExecuteRawAsync("DELETE FROM audit_log WHERE sequence = 2");
        entries.RemoveAt(1);

        await RewriteAsync(entries);

        var result = await Store.Audit.VerifyChainAsync(Cancel).DefaultTimeout();
        Assert.Equal(2, result.FirstBadSequence);
        Assert.Contains("Entry 2 has a bad MAC", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_MacsRemovedAndChainRehashed_Detected()
    {
        var entries = await AppendFiveAsync();
        entries[2] = entries[2] with { Reason = "nothing to see here" };

        await RewriteAsync(entries);
        await ExecuteRawAsync("UPDATE audit_log SET mac = NULL");

        var result = await Store.Audit.VerifyChainAsync(Cancel).DefaultTimeout();
        Assert.Equal(1, result.FirstBadSequence);
        Assert.Contains("Entry 1 has no MAC", result.Problem, StringComparison.Ordinal);
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
    public async Task Verify_TailDeletedAndHeadReset_MissingTailNamed()
    {
        var entries = await AppendFiveAsync();

        await ExecuteRawAsync("DELETE FROM audit_log WHERE sequence > 3");
        await ExecuteRawAsync($"UPDATE audit_head SET sequence = 3, hash = '{entries[2].Hash}'");

        var result = await Store.Audit.VerifyChainAsync(Cancel).DefaultTimeout();
        Assert.Equal(4, result.FirstBadSequence);
        Assert.Equal("The log ends at entry 3 but the checkpoint says entries up to 5 were written.", result.Problem);
    }

    [Fact]
    public async Task Verify_TableEmptiedAndHeadReset_Detected()
    {
        await AppendFiveAsync();

        await ExecuteRawAsync("DELETE FROM audit_log");
        await ExecuteRawAsync("UPDATE audit_head SET sequence = 0, hash = ''");

        var result = await Store.Audit.VerifyChainAsync(Cancel).DefaultTimeout();
        Assert.Equal(1, result.FirstBadSequence);
        Assert.Equal("The log is empty but the checkpoint says entries up to 5 were written.", result.Problem);
    }

    [Fact]
    public async Task Verify_TableEmptiedThenAppended_FirstEntryDoesNotMatchItsCheckpoint()
    {
        await AppendFiveAsync();
        await ExecuteRawAsync("DELETE FROM audit_log");
        await ExecuteRawAsync("UPDATE audit_head SET sequence = 0, hash = ''");

        await Store.Audit.AppendAsync(new NewAuditEntry { Actor = "mallory", Action = "user.create", Target = "user/mallory" }, Cancel).DefaultTimeout();

        var result = await Store.Audit.VerifyChainAsync(Cancel).DefaultTimeout();
        Assert.Equal(1, result.FirstBadSequence);
        Assert.Contains("Entry 1 does not match the checkpoint", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TailAndCheckpointFileTruncated_CopiedCheckpointCatchesIt()
    {
        var entries = await AppendFiveAsync();
        var copy = AuditCheckpoint.ParseAll(await File.ReadAllTextAsync(CheckpointPath, Cancel));

        await ExecuteRawAsync("DELETE FROM audit_log WHERE sequence > 3");
        await ExecuteRawAsync($"UPDATE audit_head SET sequence = 3, hash = '{entries[2].Hash}'");
        await File.WriteAllLinesAsync(CheckpointPath, (await File.ReadAllLinesAsync(CheckpointPath, Cancel)).Take(3), Cancel);

        var local = await Store.Audit.VerifyChainAsync(Cancel).DefaultTimeout();
        var withCopy = await Store.Audit.VerifyChainAsync(copy, Cancel).DefaultTimeout();
        Assert.True(local.IsValid);
        Assert.Equal(4, withCopy.FirstBadSequence);
        Assert.Equal("The log ends at entry 3 but the checkpoint says entries up to 5 were written.", withCopy.Problem);
    }

    [Fact]
    public async Task Verify_ForgedCheckpoint_BadMacNamed()
    {
        var entries = await AppendFiveAsync();
        var forged = new AuditCheckpoint(9, entries[4].Hash, new string('0', 64), "2025-03-04T05:06:07.000000Z");

        var result = await Store.Audit.VerifyChainAsync([forged], Cancel).DefaultTimeout();

        Assert.Equal(9, result.FirstBadSequence);
        Assert.Equal("The checkpoint of entry 9 has a bad MAC: it was not written with this server's audit key.", result.Problem);
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
    public async Task Verifier_WithoutKeyOrCheckpoints_SaysWhatItCouldNotCheck()
    {
        var entries = await AppendFiveAsync();
        var verifier = new AuditVerifier(key: null, checkpoints: []);

        Assert.All(entries, e => Assert.True(verifier.Add(e)));
        var result = verifier.Finish();

        Assert.True(result.IsValid);
        Assert.Equal(
            "MACs were not checked (no audit key): a log rewritten with recomputed hashes would pass. No checkpoint was given: the newest entries could have been deleted unnoticed.",
            result.Limits);
    }

    [Fact]
    public async Task Open_StoreOfThePreviousVersionWithUnkeyedEntries_SealedAndWhole()
    {
        await AppendFiveAsync();
        await DowngradeToVersion2Async();

        await using var upgraded = await Target.OpenAsync(Time, Cancel).DefaultTimeout();
        var afterUpgrade = await upgraded.Audit.VerifyChainAsync(Cancel).DefaultTimeout();
        await upgraded.Audit.AppendAsync(new NewAuditEntry { Actor = "alice", Action = "user.create", Target = "user/bob" }, Cancel).DefaultTimeout();
        var entries = await upgraded.Audit.ListAsync(cancellationToken: Cancel).DefaultTimeout();

        Assert.Equal(StoreMigrations.LatestVersion, upgraded.SchemaVersion);
        Assert.True(afterUpgrade.IsValid, afterUpgrade.Problem);
        Assert.Equal(6, afterUpgrade.Entries);
        Assert.Equal("Entries 1 to 5 were written before the audit key: only their hash chain and the seal after them vouch for them.", afterUpgrade.Limits);
        Assert.All(entries.Take(5), e => Assert.Null(e.Mac));
        Assert.Equal(("audit.seal", "audit/1-5"), (entries[5].Action, entries[5].Target));
        Assert.NotNull(entries[6].Mac);
        Assert.Equal(7, (await upgraded.Audit.LatestCheckpointAsync(Cancel).DefaultTimeout())!.Sequence);
        Assert.True((await upgraded.Audit.VerifyChainAsync(Cancel).DefaultTimeout()).IsValid);
    }

    [Fact]
    public async Task Open_UnkeyedEntryAfterCheckpoints_NotSealedAndVerifyNamesIt()
    {
        var entries = await AppendFiveAsync();
        entries[4] = entries[4] with { Actor = "mallory" };
        await RewriteAsync(entries);
        await ExecuteRawAsync("UPDATE audit_log SET mac = NULL WHERE sequence = 5");
        await Store.DisposeAsync();

        await using var reopened = await Target.OpenAsync(Time, Cancel).DefaultTimeout();
        var result = await reopened.Audit.VerifyChainAsync(Cancel).DefaultTimeout();

        Assert.Equal(5, (await reopened.Audit.ListAsync(cancellationToken: Cancel).DefaultTimeout()).Count);
        Assert.Equal(5, result.FirstBadSequence);
        Assert.Contains("Entry 5 has no MAC", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Append_ConcurrentlyFromTwoStores_OneUnbrokenChain()
    {
        await using var other = await Target.OpenAsync(Time, Cancel).DefaultTimeout();

        await Task.WhenAll(Enumerable.Range(0, 30).Select(i => (i % 2 == 0 ? Store : other).Audit.AppendAsync(new NewAuditEntry { Actor = "a", Action = "test", Target = $"t/{i}" }, Cancel))).DefaultTimeout();

        Assert.Equal(new AuditVerification(30, null, null), await Store.Audit.VerifyChainAsync(Cancel).DefaultTimeout());
        Assert.Equal(30, (await Store.Audit.LatestCheckpointAsync(Cancel).DefaultTimeout())!.Sequence);
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

    /// <summary>
    /// What a writer of the database without the key does: writes <paramref name="entries"/> as the log, numbered
    /// 1, 2… with the unkeyed hash chain recomputed (the canonical form is documented), the head reset to the last.
    /// </summary>
    private async Task RewriteAsync(List<AuditEntry> entries)
    {
        var previous = "";
        await ExecuteRawAsync("DELETE FROM audit_log");
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            var sequence = i + 1;
            var hash = AuditHasher.Hash(sequence, e.At, e.Actor, e.Action, e.Target, e.Reason, e.BeforeJson, e.AfterJson, previous);
            await Store.Database.WriteAsync(session => session
                .Sql("INSERT INTO audit_log (sequence, at, actor, action, target, reason, before_json, after_json, prev_hash, hash, mac) VALUES (@s, @at, @actor, @action, @target, @reason, @before, @after, @prev, @hash, @mac)")
                .Add("@s", sequence).Add("@at", e.At).Add("@actor", e.Actor).Add("@action", e.Action).Add("@target", e.Target).Add("@reason", e.Reason)
                .Add("@before", e.BeforeJson).Add("@after", e.AfterJson).Add("@prev", previous).Add("@hash", hash).Add("@mac", e.Mac)
                .ExecuteAsync(Cancel), Cancel).DefaultTimeout();
            previous = hash;
        }

        await ExecuteRawAsync($"UPDATE audit_head SET sequence = {entries.Count}, hash = '{previous}'");
    }

    /// <summary>Turns the store into one the previous Shipgate wrote: schema version 2, entries without MACs, no key or checkpoint file.</summary>
    private async Task DowngradeToVersion2Async()
    {
        await ExecuteRawAsync("ALTER TABLE audit_log DROP COLUMN mac");
        await ExecuteRawAsync("DELETE FROM schema_version WHERE version = 3");
        await Store.DisposeAsync();
        File.Delete(Path.Combine(Target.DataDirectory, "audit.key"));
        File.Delete(CheckpointPath);
    }

    public sealed class OnSqlite() : AuditLogTests(new SqliteStoreTarget());

    public sealed class OnPostgres(PostgresServer server) : AuditLogTests(new PostgresStoreTarget(server));
}
