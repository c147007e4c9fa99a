using Shipgate.Storage.Approvals;
using Shipgate.Storage.Deployments;
using Shipgate.Storage.Insights;
using Shipgate.Storage.Tests.Infrastructure;

namespace Shipgate.Storage.Tests.Insights;

public abstract class InsightsStoreTests(StoreTarget target) : StoreTests(target)
{
    private static readonly DateTimeOffset Committed = new(2025, 3, 1, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Release_CommitTime_RoundTripsAndAPlaceholderClaimedLaterGetsIt()
    {
        var project = await NewProjectAsync();

        var release = await Store.Deployments.GetOrCreateReleaseAsync(Release(project.Id, "api", "1.0.0", "sha256:aaaa", Committed), Cancel).DefaultTimeout();
        var unknown = await Store.Deployments.GetOrCreateReleaseAsync(Release(project.Id, "api", "0.9.0", "sha256:bbbb", null), Cancel).DefaultTimeout();
        // A job's placeholder release, recorded without a commit time (an older server), claimed by the deploy step's release.
        var placeholder = await Store.Deployments.GetOrCreateReleaseAsync(Release(project.Id, "web", "c0ffee", DeploymentStore.PlaceholderDigest("c0ffee"), null), Cancel).DefaultTimeout();
        var claimed = await Store.Deployments.GetOrCreateReleaseAsync(Release(project.Id, "web", "c0ffee", "sha256:cccc", Committed), Cancel).DefaultTimeout();

        Assert.Equal(Committed, (await Store.Deployments.GetReleaseAsync(release.Id, Cancel).DefaultTimeout())!.CommittedAt);
        Assert.Null(unknown.CommittedAt);
        Assert.Null(placeholder.CommittedAt);
        Assert.Equal((placeholder.Id, "sha256:cccc", Committed), (claimed.Id, claimed.ArtifactDigest, claimed.CommittedAt));
    }

    [Fact]
    public async Task ReadDeployments_EndedSinceTheTime_InStreamOrderWithCommitTimes_FilteredByProjectAndEnvironmentInAnyCase()
    {
        var web = await NewProjectAsync("web");
        var blog = await NewProjectAsync("blog");
        var before = await DeployAsync(web.Id, "api", "1", "production", DeploymentStatus.Succeeded);
        var since = StoredNow;
        var failed = await DeployAsync(web.Id, "api", "2", "production", DeploymentStatus.Failed);
        var staging = await DeployAsync(web.Id, "api", "2", "staging", DeploymentStatus.RolledBack);
        var other = await DeployAsync(blog.Id, "site", "1", "production", DeploymentStatus.Succeeded);
        var cancelled = await DeployAsync(web.Id, "api", "3", "production", DeploymentStatus.Cancelled);
        var fixedUp = await DeployAsync(web.Id, "api", "4", "production", DeploymentStatus.Succeeded);

        var all = await Store.Insights.ReadDeploymentsAsync(null, null, since, Cancel).DefaultTimeout();
        var webStaging = await Store.Insights.ReadDeploymentsAsync(web.Id, "STAGING", since, Cancel).DefaultTimeout();

        // blog's first; then web's api in production (failed, fixed) and in staging; the cancelled one and the one before are not there.
        Assert.Equal(
            [
                ("blog", "site", "production", DeploymentStatus.Succeeded),
                ("web", "api", "production", DeploymentStatus.Failed),
                ("web", "api", "production", DeploymentStatus.Succeeded),
                ("web", "api", "staging", DeploymentStatus.RolledBack),
            ],
            all.Select(d => (d.Project, d.Service, d.Environment, d.Status)));
        Assert.Equal([other.CreatedAt, failed.CreatedAt, fixedUp.CreatedAt, staging.CreatedAt], all.Select(d => d.CreatedAt));
        Assert.All(all, d => Assert.Equal(Committed, d.CommittedAt));
        Assert.Equal(failed.FinishedAt, all[1].FinishedAt);
        var only = Assert.Single(webStaging);
        Assert.Equal((staging.ReleaseId, "rolling"), (only.ReleaseId, only.Strategy));
        Assert.NotEqual(before.Id, cancelled.Id);
    }

    [Fact]
    public async Task ReadApprovalsAndDecisions_PendingNowAndDecidedInThePeriod()
    {
        var project = await NewProjectAsync();
        var run = await NewRunAsync(project.Id);
        var old = await RequestAsync(run.Id, project.Id, "staging");
        await Store.Approvals.AddDecisionAsync(old.Id, "bob", ApprovalDecision.Approved, cancellationToken: Cancel).DefaultTimeout();
        await Store.Approvals.TryCompleteAsync(old.Id, ApprovalStatus.Approved, cancellationToken: Cancel).DefaultTimeout();
        Time.Advance(TimeSpan.FromHours(1));
        var from = StoredNow;
        var pending = await RequestAsync(run.Id, project.Id, "production");
        var manual = await Store.Approvals.RequestAsync(new NewApproval
        {
            RunId = run.Id, ProjectId = project.Id, Kind = ApprovalKind.ManualApproval, JobKey = "gate", Title = "Go?", Reviewers = ["carol"], Initiator = "alice",
        }, cancellationToken: Cancel).DefaultTimeout();
        Time.Advance(TimeSpan.FromMinutes(30));
        await Store.Approvals.AddDecisionAsync(manual.Id, "carol", ApprovalDecision.Rejected, cancellationToken: Cancel).DefaultTimeout();
        await Store.Approvals.TryCompleteAsync(manual.Id, ApprovalStatus.Rejected, cancellationToken: Cancel).DefaultTimeout();
        var to = StoredNow.AddSeconds(1);

        var approvals = await Store.Insights.ReadApprovalsAsync(project.Id, null, from, to, Cancel).DefaultTimeout();
        var production = await Store.Insights.ReadApprovalsAsync(null, "PRODUCTION", from, to, Cancel).DefaultTimeout();
        var decisions = await Store.Insights.ReadDecisionsAsync(null, null, from, to, Cancel).DefaultTimeout();

        Assert.Equal(
            [
                new ApprovalFact("web", "production", ApprovalStatus.Pending, pending.RequestedAt, null),
                new ApprovalFact("web", null, ApprovalStatus.Rejected, manual.RequestedAt, to.AddSeconds(-1)),
            ],
            approvals);
        Assert.Equal([ApprovalStatus.Pending], production.Select(a => a.Status));
        Assert.Equal([new ReviewerDecisionFact("web", null, "carol", ApprovalDecision.Rejected, manual.RequestedAt, to.AddSeconds(-1))], decisions);
    }

    private async Task<DeploymentRecord> DeployAsync(long projectId, string service, string version, string environment, DeploymentStatus end)
    {
        var release = await Store.Deployments.GetOrCreateReleaseAsync(Release(projectId, service, version, "sha256:" + version, Committed), Cancel).DefaultTimeout();
        var deployment = await Store.Deployments.CreateDeploymentAsync(new NewDeployment { ReleaseId = release.Id, Environment = environment, Strategy = "rolling" }, cancellationToken: Cancel).DefaultTimeout();
        Time.Advance(TimeSpan.FromMinutes(1));
        if (end != DeploymentStatus.Cancelled)
        {
            await Store.Deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Pending, DeploymentStatus.Progressing, cancellationToken: Cancel).DefaultTimeout();
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        await Store.Deployments.TryTransitionAsync(deployment.Id, end == DeploymentStatus.Cancelled ? DeploymentStatus.Pending : DeploymentStatus.Progressing, end, cancellationToken: Cancel).DefaultTimeout();
        Time.Advance(TimeSpan.FromMinutes(1));
        return (await Store.Deployments.GetDeploymentAsync(deployment.Id, Cancel).DefaultTimeout())!;
    }

    private Task<ApprovalRecord> RequestAsync(long runId, long projectId, string environment) =>
        Store.Approvals.RequestAsync(new NewApproval
        {
            RunId = runId, ProjectId = projectId, Kind = ApprovalKind.Environment, Environment = environment, Title = "Deploy", Reviewers = ["bob"], Initiator = "alice",
        }, cancellationToken: Cancel).DefaultTimeout();

    private static NewRelease Release(long projectId, string service, string version, string digest, DateTimeOffset? committedAt) =>
        new() { ProjectId = projectId, Service = service, Version = version, ArtifactDigest = digest, CommitSha = version == "c0ffee" ? "c0ffee" : "sha-" + version, CommittedAt = committedAt };

    public sealed class OnSqlite() : InsightsStoreTests(new SqliteStoreTarget());

    public sealed class OnPostgres(PostgresServer server) : InsightsStoreTests(new PostgresStoreTarget(server));
}
