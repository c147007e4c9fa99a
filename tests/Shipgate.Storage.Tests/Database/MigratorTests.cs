using Microsoft.Extensions.Logging.Abstractions;
using Shipgate.Storage.Approvals;
using Shipgate.Storage.Database.Migrations;
using Shipgate.Storage.Tests.Infrastructure;

namespace Shipgate.Storage.Tests.Database;

public abstract class MigratorTests(StoreTarget target) : StoreTests(target)
{
    [Fact]
    public async Task Open_EmptyDatabase_AppliesEveryMigrationOnce()
    {
        Assert.Equal(StoreMigrations.LatestVersion, Store.SchemaVersion);
        Assert.Equal(StoreMigrations.All.Count, Convert.ToInt64(await ScalarRawAsync("SELECT COUNT(*) FROM schema_version")));

        await Store.DisposeAsync();
        await using var reopened = await Target.OpenAsync(Time, Cancel).DefaultTimeout();

        Assert.Equal(StoreMigrations.LatestVersion, reopened.SchemaVersion);
        Assert.Equal(StoreMigrations.All.Count, Convert.ToInt64(await reopened.Database.ReadAsync(s => s.Sql("SELECT COUNT(*) FROM schema_version").ScalarAsync(Cancel), Cancel)));
    }

    [Fact]
    public async Task Open_SchemaNewerThanCode_RefusedWithOneSentence()
    {
        await ExecuteRawAsync($"INSERT INTO schema_version (version, description, applied_at) VALUES ({StoreMigrations.LatestVersion + 1}, 'from the future', (SELECT applied_at FROM schema_version WHERE version = 1))");
        await Store.DisposeAsync();

        var error = await Assert.ThrowsAsync<StoreException>(() => Target.OpenAsync(Time, Cancel)).DefaultTimeout();

        Assert.Contains($"schema version {StoreMigrations.LatestVersion + 1}, newer than the version {StoreMigrations.LatestVersion} this Shipgate knows", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Migrate_NewMigration_AppliedOnTopInOneTransaction()
    {
        var next = new Migration(StoreMigrations.LatestVersion + 1, "add a table", "CREATE TABLE extra (id {id}, note TEXT NOT NULL)");

        var version = await Migrator.MigrateAsync(Store.Database, [.. StoreMigrations.All, next], Time, NullLogger.Instance, Cancel).DefaultTimeout();

        Assert.Equal(next.Version, version);
        Assert.Equal(0L, Convert.ToInt64(await ScalarRawAsync("SELECT COUNT(*) FROM extra")));
    }

    [Fact]
    public async Task Migrate_AMigrationOlderThanTheNewestMissing_IsAppliedAndTheOthersAreNot()
    {
        // A store that has the newest migration but not one before it (work merged from two lines).
        var older = new Migration(StoreMigrations.LatestVersion + 1, "an older table", "CREATE TABLE older (id {id})");
        var newer = new Migration(StoreMigrations.LatestVersion + 2, "a newer table", "CREATE TABLE newer (id {id})");
        await Migrator.MigrateAsync(Store.Database, [.. StoreMigrations.All, newer], Time, NullLogger.Instance, Cancel).DefaultTimeout();

        var version = await Migrator.MigrateAsync(Store.Database, [.. StoreMigrations.All, older, newer], Time, NullLogger.Instance, Cancel).DefaultTimeout();

        Assert.Equal(newer.Version, version);
        Assert.Equal(0L, Convert.ToInt64(await ScalarRawAsync("SELECT COUNT(*) FROM older")));
        Assert.Equal(1L, Convert.ToInt64(await ScalarRawAsync($"SELECT COUNT(*) FROM schema_version WHERE version = {newer.Version}")));
    }

    [Fact]
    public async Task Migrate_FailingMigration_LeavesSchemaAsItWas()
    {
        var broken = new Migration(StoreMigrations.LatestVersion + 1, "broken", "CREATE TABLE half (id {id}); CREATE TABLE projects (id {id})");

        await Assert.ThrowsAnyAsync<Exception>(() => Migrator.MigrateAsync(Store.Database, [.. StoreMigrations.All, broken], Time, NullLogger.Instance, Cancel)).DefaultTimeout();

        Assert.Equal((long)StoreMigrations.LatestVersion, Convert.ToInt64(await ScalarRawAsync("SELECT MAX(version) FROM schema_version")));
        await Migrator.MigrateAsync(Store.Database, [.. StoreMigrations.All, broken with { Sql = "CREATE TABLE half (id {id})" }], Time, NullLogger.Instance, Cancel).DefaultTimeout();
    }

    [Fact]
    public async Task Migration0006_OnStoredApprovals_KeepsTheirStatusesAndDecisionsAndAllowsCancelledOnly()
    {
        var run = await NewRunAsync((await NewProjectAsync()).Id);
        var pending = await Store.Approvals.RequestAsync(Approval(run.Id, run.ProjectId, "production"), cancellationToken: Cancel).DefaultTimeout();
        var approved = await Store.Approvals.RequestAsync(Approval(run.Id, run.ProjectId, "staging"), cancellationToken: Cancel).DefaultTimeout();
        await Store.Approvals.AddDecisionAsync(approved.Id, "bob", ApprovalDecision.Approved, cancellationToken: Cancel).DefaultTimeout();
        Assert.True(await Store.Approvals.TryCompleteAsync(approved.Id, ApprovalStatus.Approved, cancellationToken: Cancel).DefaultTimeout());

        // Its statements applied once more, on rows that exist (as on a store of version 2).
        await Migrator.MigrateAsync(Store.Database, [.. StoreMigrations.All, Migration0006.Instance with { Version = StoreMigrations.LatestVersion + 1 }], Time, NullLogger.Instance, Cancel).DefaultTimeout();

        Assert.Equal(ApprovalStatus.Pending, (await Store.Approvals.GetAsync(pending.Id, Cancel).DefaultTimeout())!.Status);
        Assert.Equal(ApprovalStatus.Approved, (await Store.Approvals.GetAsync(approved.Id, Cancel).DefaultTimeout())!.Status);
        Assert.Single(await Store.Approvals.ListDecisionsAsync(approved.Id, Cancel).DefaultTimeout());
        Assert.True(await Store.Approvals.TryCompleteAsync(pending.Id, ApprovalStatus.Cancelled, cancellationToken: Cancel).DefaultTimeout());
        await Assert.ThrowsAnyAsync<Exception>(() => ExecuteRawAsync($"UPDATE approvals SET status = 'bogus' WHERE id = {approved.Id}")).DefaultTimeout();
    }

    private static NewApproval Approval(long runId, long projectId, string environment) => new()
    {
        RunId = runId,
        ProjectId = projectId,
        Kind = ApprovalKind.Environment,
        Environment = environment,
        Title = "Deploy",
        Body = "",
        Reviewers = ["bob"],
        Required = 1,
        PreventSelfReview = false,
        Initiator = "alice",
    };

    public sealed class OnSqlite() : MigratorTests(new SqliteStoreTarget());

    public sealed class OnPostgres(PostgresServer server) : MigratorTests(new PostgresStoreTarget(server));
}
