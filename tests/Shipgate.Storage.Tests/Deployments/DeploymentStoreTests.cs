using Shipgate.Storage.Audit;
using Shipgate.Storage.Deployments;
using Shipgate.Storage.Tests.Infrastructure;

namespace Shipgate.Storage.Tests.Deployments;

public abstract class DeploymentStoreTests(StoreTarget target) : StoreTests(target)
{
    [Fact]
    public async Task Environment_UpsertedAtNewCommit_Replaced()
    {
        var project = await NewProjectAsync();

        var first = await Store.Deployments.UpsertEnvironmentAsync(project.Id, "production", "aaa", "{\"mode\":\"delivery\"}", cancellationToken: Cancel).DefaultTimeout();
        Time.Advance(TimeSpan.FromMinutes(1));
        var second = await Store.Deployments.UpsertEnvironmentAsync(project.Id, "production", "bbb", "{\"mode\": \"deployment\"}", cancellationToken: Cancel).DefaultTimeout();

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(new EnvironmentRecord(first.Id, project.Id, "production", "bbb", "{\"mode\": \"deployment\"}", StoredNow), await Store.Deployments.GetEnvironmentAsync(project.Id, "production", Cancel).DefaultTimeout());
        Assert.Equal([second], await Store.Deployments.ListEnvironmentsAsync(project.Id, Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task Release_SameVersionTwice_FirstOneKept()
    {
        var project = await NewProjectAsync();

        var release = await Store.Deployments.GetOrCreateReleaseAsync(NewRelease(project.Id, "1.0.0", "sha256:aaaa"), Cancel).DefaultTimeout();
        var again = await Store.Deployments.GetOrCreateReleaseAsync(NewRelease(project.Id, "1.0.0", "sha256:bbbb"), Cancel).DefaultTimeout();

        Assert.Equal(new ReleaseRecord(release.Id, project.Id, "web", "1.0.0", "sha256:aaaa", "c0ffee", StoredNow), again);
        Assert.Equal(release, await Store.Deployments.GetReleaseAsync(release.Id, Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task Deployment_RulesVersion_RoundTrips()
    {
        var project = await NewProjectAsync();
        var release = await Store.Deployments.GetOrCreateReleaseAsync(NewRelease(project.Id, "1.0.0", "sha256:aaaa"), Cancel).DefaultTimeout();

        var deployment = await Store.Deployments.CreateDeploymentAsync(
            new NewDeployment { ReleaseId = release.Id, Environment = "production", Strategy = "workflow", RulesSha = "0123456789abcdef", RulesTightened = "approval.required, wait-timer" },
            cancellationToken: Cancel).DefaultTimeout();
        var read = await Store.Deployments.GetDeploymentAsync(deployment.Id, Cancel).DefaultTimeout();

        Assert.Equal(("0123456789abcdef", "approval.required, wait-timer"), (read!.RulesSha, read.RulesTightened));
    }

    [Fact]
    public async Task Deployment_StateMachine_CompareAndSet()
    {
        var project = await NewProjectAsync();
        var run = await NewRunAsync(project.Id);
        var release = await Store.Deployments.GetOrCreateReleaseAsync(NewRelease(project.Id, "1.0.0", "sha256:aaaa"), Cancel).DefaultTimeout();

        var deployment = await Store.Deployments.CreateDeploymentAsync(new NewDeployment { ReleaseId = release.Id, Environment = "staging", Strategy = "rolling", RunId = run.Id, JobKey = "deploy" }, cancellationToken: Cancel).DefaultTimeout();
        var created = StoredNow;
        Assert.Equal(new DeploymentRecord(deployment.Id, release.Id, project.Id, "web", "staging", "rolling", DeploymentStatus.Pending, null, run.Id, "deploy", created, null, null, created), deployment);

        Assert.Equal(DeploymentTransition.NotInExpectedState, await Store.Deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Waiting, DeploymentStatus.Progressing, cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal(DeploymentTransition.Applied, await Store.Deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Pending, DeploymentStatus.Waiting, cancellationToken: Cancel).DefaultTimeout());
        Time.Advance(TimeSpan.FromSeconds(10));
        var started = StoredNow;
        Assert.Equal(DeploymentTransition.Applied, await Store.Deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Waiting, DeploymentStatus.Progressing, cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal(DeploymentTransition.Applied, await Store.Deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Progressing, DeploymentStatus.Paused, "waiting for analysis", cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal(DeploymentTransition.Applied, await Store.Deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Paused, DeploymentStatus.Progressing, cancellationToken: Cancel).DefaultTimeout());
        Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(DeploymentTransition.Applied, await Store.Deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Progressing, DeploymentStatus.Succeeded, cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal(DeploymentTransition.NotInExpectedState, await Store.Deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Progressing, DeploymentStatus.Failed, cancellationToken: Cancel).DefaultTimeout());

        var read = await Store.Deployments.GetDeploymentAsync(deployment.Id, Cancel).DefaultTimeout();
        Assert.Equal(deployment with { Status = DeploymentStatus.Succeeded, Reason = "waiting for analysis", StartedAt = started, FinishedAt = StoredNow, UpdatedAt = StoredNow }, read);
        var current = Assert.Single(await Store.Deployments.ListCurrentReleasesAsync(project.Id, Cancel).DefaultTimeout());
        Assert.Equal(new CurrentRelease("web", "staging", release, deployment.Id, StoredNow), current);
    }

    [Fact]
    public async Task Deployment_SecondActiveForSameServiceAndEnvironment_Blocked()
    {
        var project = await NewProjectAsync();
        var v1 = await Store.Deployments.GetOrCreateReleaseAsync(NewRelease(project.Id, "1.0.0", "sha256:aaaa"), Cancel).DefaultTimeout();
        var v2 = await Store.Deployments.GetOrCreateReleaseAsync(NewRelease(project.Id, "2.0.0", "sha256:bbbb"), Cancel).DefaultTimeout();
        var first = await PendingDeploymentAsync(v1.Id, "production");
        var second = await PendingDeploymentAsync(v2.Id, "production");
        var staging = await PendingDeploymentAsync(v2.Id, "staging");

        Assert.Equal(DeploymentTransition.Applied, await Store.Deployments.TryTransitionAsync(first.Id, DeploymentStatus.Pending, DeploymentStatus.Progressing, cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal(DeploymentTransition.BlockedByActiveDeployment, await Store.Deployments.TryTransitionAsync(second.Id, DeploymentStatus.Pending, DeploymentStatus.Progressing, cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal(DeploymentTransition.Applied, await Store.Deployments.TryTransitionAsync(staging.Id, DeploymentStatus.Pending, DeploymentStatus.Progressing, cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal(DeploymentStatus.Pending, (await Store.Deployments.GetDeploymentAsync(second.Id, Cancel).DefaultTimeout())!.Status);
        Assert.Equal(first.Id, (await Store.Deployments.GetActiveDeploymentAsync(project.Id, "web", "production", Cancel).DefaultTimeout())!.Id);

        Assert.Equal(DeploymentTransition.Applied, await Store.Deployments.TryTransitionAsync(first.Id, DeploymentStatus.Progressing, DeploymentStatus.RolledBack, cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal(DeploymentTransition.Applied, await Store.Deployments.TryTransitionAsync(second.Id, DeploymentStatus.Pending, DeploymentStatus.Progressing, cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal(3, (await Store.Deployments.ListDeploymentsAsync(project.Id, cancellationToken: Cancel).DefaultTimeout()).Count);
        Assert.Equal([second.Id, first.Id], (await Store.Deployments.ListDeploymentsAsync(project.Id, "production", cancellationToken: Cancel).DefaultTimeout()).Select(d => d.Id));
    }

    [Fact]
    public async Task UnfinishedDeployments_QueuedAndActive_OldestFirst_WithoutFinishedOnes()
    {
        var project = await NewProjectAsync();
        var other = await NewProjectAsync("other");
        var release = await Store.Deployments.GetOrCreateReleaseAsync(NewRelease(project.Id, "1.0.0", "sha256:aaaa"), Cancel).DefaultTimeout();
        var done = await PendingDeploymentAsync(release.Id, "staging");
        var active = await PendingDeploymentAsync(release.Id, "production");
        var queued = await PendingDeploymentAsync(release.Id, "production");
        var otherRelease = await Store.Deployments.GetOrCreateReleaseAsync(NewRelease(other.Id, "1.0.0", "sha256:aaaa"), Cancel).DefaultTimeout();
        await PendingDeploymentAsync(otherRelease.Id, "production");
        await Store.Deployments.TryTransitionAsync(done.Id, DeploymentStatus.Pending, DeploymentStatus.Progressing, cancellationToken: Cancel).DefaultTimeout();
        await Store.Deployments.TryTransitionAsync(done.Id, DeploymentStatus.Progressing, DeploymentStatus.Succeeded, cancellationToken: Cancel).DefaultTimeout();
        await Store.Deployments.TryTransitionAsync(active.Id, DeploymentStatus.Pending, DeploymentStatus.Progressing, cancellationToken: Cancel).DefaultTimeout();

        var unfinished = await Store.Deployments.ListUnfinishedDeploymentsAsync(project.Id, Cancel).DefaultTimeout();

        Assert.Equal([(active.Id, DeploymentStatus.Progressing), (queued.Id, DeploymentStatus.Pending)], unfinished.Select(d => (d.Id, d.Status)));
    }

    [Fact]
    public async Task Deployment_ActiveRowWrittenByRawSql_RefusedByTheDatabase()
    {
        var project = await NewProjectAsync();
        var release = await Store.Deployments.GetOrCreateReleaseAsync(NewRelease(project.Id, "1.0.0", "sha256:aaaa"), Cancel).DefaultTimeout();
        var first = await PendingDeploymentAsync(release.Id, "production");
        var second = await PendingDeploymentAsync(release.Id, "production");
        await ExecuteRawAsync($"UPDATE deployments SET status = 'paused' WHERE id = {first.Id}");

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => ExecuteRawAsync($"UPDATE deployments SET status = 'progressing' WHERE id = {second.Id}"));
    }

    [Fact]
    public async Task GateDecisionsAndMetricSnapshots_RoundTrip()
    {
        var project = await NewProjectAsync();
        var run = await NewRunAsync(project.Id);
        var release = await Store.Deployments.GetOrCreateReleaseAsync(NewRelease(project.Id, "1.0.0", "sha256:aaaa"), Cancel).DefaultTimeout();
        var deployment = await PendingDeploymentAsync(release.Id, "production");

        var analysis = await Store.Deployments.RecordGateDecisionAsync(new NewGateDecision { DeploymentId = deployment.Id, Gate = "analysis", Result = GateResult.Fail, Reason = "error rate 4.1% > 1%", NumbersJson = "{\"errorRate\":0.041}" }, Cancel).DefaultTimeout();
        var policy = await Store.Deployments.RecordGateDecisionAsync(new NewGateDecision { RunId = run.Id, JobKey = "deploy", Gate = "mode", Result = GateResult.Pass, Reason = "automatic by policy" }, Cancel).DefaultTimeout();
        var window = (Start: StoredNow.AddMinutes(-2), End: StoredNow);
        var snapshot = await Store.Deployments.RecordMetricSnapshotAsync(new NewMetricSnapshot { DeploymentId = deployment.Id, Version = "1.0.0", WindowStart = window.Start, WindowEnd = window.End, CountsJson = "{\"2xx\":980,\"5xx\":41}" }, Cancel).DefaultTimeout();

        Assert.Equal(new GateDecisionRecord(analysis.Id, deployment.Id, null, null, null, "analysis", GateResult.Fail, "error rate 4.1% > 1%", "{\"errorRate\":0.041}", StoredNow), analysis);
        Assert.Equal([analysis], await Store.Deployments.ListGateDecisionsForDeploymentAsync(deployment.Id, Cancel).DefaultTimeout());
        Assert.Equal([policy], await Store.Deployments.ListGateDecisionsForRunAsync(run.Id, Cancel).DefaultTimeout());
        Assert.Equal(new MetricSnapshotRecord(snapshot.Id, deployment.Id, "1.0.0", window.Start, window.End, "{\"2xx\":980,\"5xx\":41}", StoredNow), snapshot);
        Assert.Equal([snapshot], await Store.Deployments.ListMetricSnapshotsAsync(deployment.Id, Cancel).DefaultTimeout());
        await Assert.ThrowsAsync<ArgumentException>(() => Store.Deployments.RecordGateDecisionAsync(new NewGateDecision { Gate = "x", Result = GateResult.Pending, Reason = "about nothing" }, Cancel));
    }

    [Fact]
    public async Task CompleteDeployment_StepsPreviousReleaseKeepWarmAndSnapshots_WrittenTogether()
    {
        var project = await NewProjectAsync();
        var old = await Store.Deployments.GetOrCreateReleaseAsync(NewRelease(project.Id, "1.0.0", "sha256:aaaa"), Cancel).DefaultTimeout();
        var release = await Store.Deployments.GetOrCreateReleaseAsync(NewRelease(project.Id, "2.0.0", "sha256:bbbb"), Cancel).DefaultTimeout();
        var deployment = await PendingDeploymentAsync(release.Id, "staging");
        await Store.Deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Pending, DeploymentStatus.Progressing, cancellationToken: Cancel).DefaultTimeout();
        var keepUntil = StoredNow.AddMinutes(15);
        var outcome = new DeploymentOutcome
        {
            Status = DeploymentStatus.Succeeded,
            Steps = [new DeploymentStepRecord("shift-traffic", StoredNow, StoredNow, "succeeded", "100% to 2.0.0")],
            PreviousReleaseId = old.Id,
            KeepPreviousUntil = keepUntil,
            Snapshots = [new NewMetricSnapshot { DeploymentId = deployment.Id, Version = "2.0.0", WindowStart = StoredNow, WindowEnd = StoredNow, CountsJson = "{}" }],
        };

        Assert.True(await Store.Deployments.CompleteDeploymentAsync(deployment.Id, outcome, cancellationToken: Cancel).DefaultTimeout());
        Assert.False(await Store.Deployments.CompleteDeploymentAsync(deployment.Id, outcome, cancellationToken: Cancel).DefaultTimeout());
        var read = (await Store.Deployments.GetDeploymentAsync(deployment.Id, Cancel).DefaultTimeout())!;
        Assert.Equal((DeploymentStatus.Succeeded, old.Id, keepUntil), (read.Status, read.PreviousReleaseId, read.KeepPreviousUntil));
        Assert.Equal(outcome.Steps, await Store.Deployments.ListDeploymentStepsAsync(deployment.Id, Cancel).DefaultTimeout());
        Assert.Single(await Store.Deployments.ListMetricSnapshotsAsync(deployment.Id, Cancel).DefaultTimeout());
        Assert.Empty(await Store.Deployments.ListKeepWarmDueAsync(StoredNow, Cancel).DefaultTimeout());
        Assert.Equal([deployment.Id], (await Store.Deployments.ListKeepWarmDueAsync(keepUntil, Cancel).DefaultTimeout()).Select(d => d.Id));
        await Store.Deployments.ClearKeepPreviousAsync(deployment.Id, Cancel).DefaultTimeout();
        Assert.Empty(await Store.Deployments.ListKeepWarmDueAsync(keepUntil, Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task RetargetDeployment_ToAnotherServicesRelease_BlockedWhileThatServiceHasAnActiveDeployment()
    {
        var project = await NewProjectAsync();
        var job = await Store.Deployments.GetOrCreateReleaseAsync(new NewRelease { ProjectId = project.Id, Service = "shop", Version = "c0ffee0", ArtifactDigest = "git:c0ffee", CommitSha = "c0ffee" }, Cancel).DefaultTimeout();
        var web = await Store.Deployments.GetOrCreateReleaseAsync(NewRelease(project.Id, "c0ffee0", "sha256:aaaa"), Cancel).DefaultTimeout();
        var jobDeployment = await PendingDeploymentAsync(job.Id, "staging");
        var other = await PendingDeploymentAsync(web.Id, "staging");
        await Store.Deployments.TryTransitionAsync(jobDeployment.Id, DeploymentStatus.Pending, DeploymentStatus.Progressing, cancellationToken: Cancel).DefaultTimeout();
        await Store.Deployments.TryTransitionAsync(other.Id, DeploymentStatus.Pending, DeploymentStatus.Progressing, cancellationToken: Cancel).DefaultTimeout();

        var blocked = await Store.Deployments.RetargetDeploymentAsync(jobDeployment.Id, web.Id, "rolling", cancellationToken: Cancel).DefaultTimeout();
        await Store.Deployments.TryTransitionAsync(other.Id, DeploymentStatus.Progressing, DeploymentStatus.Succeeded, cancellationToken: Cancel).DefaultTimeout();
        var applied = await Store.Deployments.RetargetDeploymentAsync(jobDeployment.Id, web.Id, "rolling", cancellationToken: Cancel).DefaultTimeout();
        var read = (await Store.Deployments.GetDeploymentAsync(jobDeployment.Id, Cancel).DefaultTimeout())!;

        Assert.Equal((DeploymentTransition.BlockedByActiveDeployment, DeploymentTransition.Applied), (blocked, applied));
        Assert.Equal(("web", web.Id, "rolling"), (read.Service, read.ReleaseId, read.Strategy));
        Assert.Equal(web, await Store.Deployments.FindReleaseAsync(project.Id, "web", "c0ffee0", Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task Commands_GivenOnceTakenOnce_DuplicateAndInactiveRefused()
    {
        var project = await NewProjectAsync();
        var release = await Store.Deployments.GetOrCreateReleaseAsync(NewRelease(project.Id, "1.0.0", "sha256:aaaa"), Cancel).DefaultTimeout();
        var deployment = await PendingDeploymentAsync(release.Id, "production");
        var audit = new NewAuditEntry { Actor = "alice", Action = "deployment.promote", Target = $"deployment/{deployment.Id}" };

        var beforeStart = await Store.Deployments.GiveCommandAsync(deployment.Id, "promote", "alice", audit, Cancel).DefaultTimeout();
        await Store.Deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Pending, DeploymentStatus.Progressing, cancellationToken: Cancel).DefaultTimeout();
        var given = await Store.Deployments.GiveCommandAsync(deployment.Id, "promote", "alice", audit, Cancel).DefaultTimeout();
        var replayed = await Store.Deployments.GiveCommandAsync(deployment.Id, "promote", "mallory", audit, Cancel).DefaultTimeout();
        var abort = await Store.Deployments.GiveCommandAsync(deployment.Id, "abort", "bob", cancellationToken: Cancel).DefaultTimeout();
        var first = await Store.Deployments.TakeCommandAsync(deployment.Id, Cancel).DefaultTimeout();
        var second = await Store.Deployments.TakeCommandAsync(deployment.Id, Cancel).DefaultTimeout();
        var none = await Store.Deployments.TakeCommandAsync(deployment.Id, Cancel).DefaultTimeout();
        var again = await Store.Deployments.GiveCommandAsync(deployment.Id, "promote", "alice", cancellationToken: Cancel).DefaultTimeout();
        await Store.Deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Progressing, DeploymentStatus.Succeeded, cancellationToken: Cancel).DefaultTimeout();
        var afterEnd = await Store.Deployments.GiveCommandAsync(deployment.Id, "abort", "bob", cancellationToken: Cancel).DefaultTimeout();
        var promotes = (await Store.Audit.ListAsync(cancellationToken: Cancel).DefaultTimeout()).Count(e => e.Action == "deployment.promote");

        Assert.Equal(
            new[] { CommandOutcome.NotActive, CommandOutcome.Given, CommandOutcome.Duplicate, CommandOutcome.Given, CommandOutcome.Given, CommandOutcome.NotActive },
            new[] { beforeStart, given, replayed, abort, again, afterEnd });
        Assert.Equal(("promote", "alice"), (first!.Verb, first.Actor));
        Assert.Equal(("abort", "bob"), (second!.Verb, second.Actor));
        Assert.Null(none);
        Assert.Equal(1, promotes);
    }

    [Fact]
    public async Task Progress_WaitingForAPerson_PausesAndResumesTheDeployment_DecidedByRoundTrips()
    {
        var project = await NewProjectAsync();
        var release = await Store.Deployments.GetOrCreateReleaseAsync(NewRelease(project.Id, "1.0.0", "sha256:aaaa"), Cancel).DefaultTimeout();
        var deployment = await PendingDeploymentAsync(release.Id, "production");
        await Store.Deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Pending, DeploymentStatus.Progressing, cancellationToken: Cancel).DefaultTimeout();
        await Store.Deployments.SetDecidedByAsync(deployment.Id, "delivery: approved by alice", Cancel).DefaultTimeout();

        var paused = await Store.Deployments.UpdateProgressAsync(deployment.Id, "{\"step\":2}", paused: true, Cancel).DefaultTimeout();
        var whilePaused = await Store.Deployments.GetDeploymentAsync(deployment.Id, Cancel).DefaultTimeout();
        await Store.Deployments.UpdateProgressAsync(deployment.Id, "{\"step\":3}", paused: false, Cancel).DefaultTimeout();
        var resumed = await Store.Deployments.GetDeploymentAsync(deployment.Id, Cancel).DefaultTimeout();
        await Store.Deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Progressing, DeploymentStatus.Succeeded, cancellationToken: Cancel).DefaultTimeout();
        var afterEnd = await Store.Deployments.UpdateProgressAsync(deployment.Id, "{\"step\":4}", paused: true, Cancel).DefaultTimeout();
        var ended = await Store.Deployments.GetDeploymentAsync(deployment.Id, Cancel).DefaultTimeout();

        Assert.True(paused);
        Assert.Equal((DeploymentStatus.Paused, "{\"step\":2}"), (whilePaused!.Status, whilePaused.ProgressJson));
        Assert.Equal((DeploymentStatus.Progressing, "{\"step\":3}", "delivery: approved by alice"), (resumed!.Status, resumed.ProgressJson, resumed.DecidedBy));
        Assert.False(afterEnd);
        Assert.Equal((DeploymentStatus.Succeeded, "{\"step\":3}"), (ended!.Status, ended.ProgressJson));
    }

    private static NewRelease NewRelease(long projectId, string version, string digest) =>
        new() { ProjectId = projectId, Service = "web", Version = version, ArtifactDigest = digest, CommitSha = "c0ffee" };

    private Task<DeploymentRecord> PendingDeploymentAsync(long releaseId, string environment) =>
        Store.Deployments.CreateDeploymentAsync(new NewDeployment { ReleaseId = releaseId, Environment = environment, Strategy = "rolling" }, cancellationToken: Cancel).DefaultTimeout();

    public sealed class OnSqlite() : DeploymentStoreTests(new SqliteStoreTarget());

    public sealed class OnPostgres(PostgresServer server) : DeploymentStoreTests(new PostgresStoreTarget(server));
}
