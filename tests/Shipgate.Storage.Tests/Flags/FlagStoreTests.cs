using Shipgate.Storage.Audit;
using Shipgate.Storage.Flags;
using Shipgate.Storage.Tests.Infrastructure;

namespace Shipgate.Storage.Tests.Flags;

public abstract class FlagStoreTests(StoreTarget target) : StoreTests(target)
{
    private static readonly NewAuditEntry Audit = new() { Actor = "alice", Action = "flag.create", Target = "project/web/environment/staging/flag/f" };

    [Fact]
    public async Task EditRecord_Baseline_IsStoredAndKeptByEditsWithoutOne()
    {
        var project = await NewProjectAsync();

        var first = await Store.Flags.EditRecordAsync(project.Id, "staging", record => new FlagEdit<string?>("d1", null, record?.Baseline, "b1"), Cancel).DefaultTimeout();
        var second = await Store.Flags.EditRecordAsync(project.Id, "staging", record => new FlagEdit<string?>("d2", Audit, record?.Baseline), Cancel).DefaultTimeout();

        var stored = await Store.Flags.GetDocumentAsync(project.Id, "staging", Cancel).DefaultTimeout();
        Assert.Null(first);
        Assert.Equal("b1", second);
        Assert.Equal(("d2", "b1", 2L), (stored!.Document, stored.Baseline, stored.Revision));
    }

    [Fact]
    public async Task EditDocument_EachWriteRaisesTheRevisionAndAppendsItsAudit_ARefusalWritesNothing()
    {
        var project = await NewProjectAsync();

        var first = await Store.Flags.EditDocumentAsync(project.Id, "staging", current => new FlagEdit<string?>("""{"version":1,"flags":[]}""", Audit, current), Cancel).DefaultTimeout();
        var second = await Store.Flags.EditDocumentAsync(project.Id, "staging", current => new FlagEdit<string?>("""{"version":1,"flags":[1]}""", Audit, current), Cancel).DefaultTimeout();
        var refused = await Store.Flags.EditDocumentAsync(project.Id, "staging", current => new FlagEdit<string?>(null, Audit, current), Cancel).DefaultTimeout();

        var stored = await Store.Flags.GetDocumentAsync(project.Id, "staging", Cancel).DefaultTimeout();
        Assert.Null(first);
        Assert.Equal("""{"version":1,"flags":[]}""", second);
        Assert.Equal("""{"version":1,"flags":[1]}""", refused);
        Assert.Equal(("""{"version":1,"flags":[1]}""", 2L), (stored!.Document, stored.Revision));
        Assert.Equal(2L, await Store.Flags.GetRevisionAsync(project.Id, "staging", Cancel).DefaultTimeout());
        Assert.Equal(0L, await Store.Flags.GetRevisionAsync(project.Id, "production", Cancel).DefaultTimeout());
        Assert.Null(await Store.Flags.GetDocumentAsync(project.Id, "production", Cancel).DefaultTimeout());
        Assert.Equal(2, (await Store.Audit.ListAsync(cancellationToken: Cancel).DefaultTimeout()).Count(e => e.Action == "flag.create"));
    }

    [Fact]
    public async Task ConcurrentEdits_NoneLost()
    {
        var project = await NewProjectAsync();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Store.Flags.EditDocumentAsync(project.Id, "staging",
            current => new FlagEdit<bool>(((current is null ? 0 : int.Parse(current, System.Globalization.CultureInfo.InvariantCulture)) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), null, true),
            Cancel))).DefaultTimeout();

        var stored = await Store.Flags.GetDocumentAsync(project.Id, "staging", Cancel).DefaultTimeout();
        Assert.Equal(("20", 20L), (stored!.Document, stored.Revision));
    }

    [Fact]
    public async Task ClientKeys_HashedOnlyAuthenticatedUntilRevokedInTheirEnvironmentOnly()
    {
        var project = await NewProjectAsync();

        var created = await Store.Flags.CreateKeyAsync(project.Id, "staging", "checkout", "alice", cancellationToken: Cancel).DefaultTimeout();
        var authenticated = await Store.Flags.AuthenticateKeyAsync(created.Key, Cancel).DefaultTimeout();
        var wrongEnvironment = await Store.Flags.RevokeKeyAsync(project.Id, "production", created.Record.Id, cancellationToken: Cancel).DefaultTimeout();
        var revoked = await Store.Flags.RevokeKeyAsync(project.Id, "staging", created.Record.Id, cancellationToken: Cancel).DefaultTimeout();
        var again = await Store.Flags.RevokeKeyAsync(project.Id, "staging", created.Record.Id, cancellationToken: Cancel).DefaultTimeout();

        Assert.StartsWith("sgk_", created.Key, StringComparison.Ordinal);
        Assert.Equal((project.Id, "staging", "checkout", created.Key[..12]), (authenticated!.ProjectId, authenticated.Environment, authenticated.Name, authenticated.Prefix));
        Assert.False(wrongEnvironment);
        Assert.True(revoked);
        Assert.False(again);
        Assert.Null(await Store.Flags.AuthenticateKeyAsync(created.Key, Cancel).DefaultTimeout());
        Assert.Equal(StoredNow, Assert.Single(await Store.Flags.ListKeysAsync(project.Id, "staging", Cancel).DefaultTimeout()).RevokedAt);
        Assert.Equal(0L, Convert.ToInt64(await ScalarRawAsync($"SELECT COUNT(*) FROM flag_client_keys WHERE key_hash = '{created.Key}' OR prefix = '{created.Key}'")));
    }

    public sealed class OnSqlite() : FlagStoreTests(new SqliteStoreTarget());

    public sealed class OnPostgres(PostgresServer server) : FlagStoreTests(new PostgresStoreTarget(server));
}
