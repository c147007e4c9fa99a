using Microsoft.Extensions.Time.Testing;
using Shipgate.Storage;
using Shipgate.Storage.Approvals;
using Shipgate.Storage.Deployments;
using Shipgate.Storage.Projects;
using Shipgate.Storage.Runs;

namespace Shipgate.Server.Tests.Insights;

/// <summary>
/// A real store (SQLite file, or a fresh schema on the real PostgreSQL) written through its own API on a fake clock:
/// each helper moves the clock forward to the times it is given, so a test writes its history in time order.
/// </summary>
internal sealed class DeliveryHistory : IAsyncDisposable
{
    /// <summary>Sunday 2026-11-01 00:00 UTC: the start of every test's history.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly string _data;
    private readonly Dictionary<string, long> _projects = new(StringComparer.Ordinal);

    private DeliveryHistory(string data, ShipgateStore store, FakeTimeProvider time)
    {
        _data = data;
        Store = store;
        Time = time;
    }

    public ShipgateStore Store { get; }

    public FakeTimeProvider Time { get; }

    public static async Task<DeliveryHistory> OpenAsync(string? connectionString)
    {
        var data = Directory.CreateTempSubdirectory("shipgate-insights-").FullName;
        // The clock starts a week early, so a test can write history from before its period.
        var time = new FakeTimeProvider(T0.AddDays(-7));
        var store = await ShipgateStore.OpenAsync(new StoreOptions { DataDirectory = data, ConnectionString = connectionString, TimeProvider = time }, Ct).DefaultTimeout();
        return new DeliveryHistory(data, store, time);
    }

    /// <summary>
    /// A deployment of <paramref name="service"/> <paramref name="version"/> (its commit made at <paramref name="committedAt"/>;
    /// null: unknown) to <paramref name="environment"/>, created at <paramref name="createdAt"/>, ended <paramref name="status"/> at <paramref name="finishedAt"/>.
    /// </summary>
    public async Task DeployAsync(
        string service, string environment, string version, DateTimeOffset? committedAt, DateTimeOffset createdAt, DateTimeOffset finishedAt, DeploymentStatus status,
        string strategy = "rolling", string project = "shop")
    {
        var projectId = await ProjectAsync(project);
        var release = await Store.Deployments.FindReleaseAsync(projectId, service, version, Ct).DefaultTimeout()
            ?? await Store.Deployments.GetOrCreateReleaseAsync(
                new NewRelease { ProjectId = projectId, Service = service, Version = version, ArtifactDigest = "sha256:" + version, CommitSha = "c0ffee" + version, CommittedAt = committedAt },
                Ct).DefaultTimeout();
        Time.SetUtcNow(createdAt);
        var deployment = await Store.Deployments.CreateDeploymentAsync(new NewDeployment { ReleaseId = release.Id, Environment = environment, Strategy = strategy }, cancellationToken: Ct).DefaultTimeout();
        Assert.Equal(DeploymentTransition.Applied, await Store.Deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Pending, DeploymentStatus.Progressing, cancellationToken: Ct).DefaultTimeout());
        Time.SetUtcNow(finishedAt);
        Assert.Equal(DeploymentTransition.Applied, await Store.Deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Progressing, status, cancellationToken: Ct).DefaultTimeout());
    }

    /// <summary>A deployment that never ended past its start: it is not one of the ended deployments.</summary>
    public async Task StartOnlyAsync(string service, string environment, string version, DateTimeOffset createdAt, string project = "shop")
    {
        var projectId = await ProjectAsync(project);
        var release = await Store.Deployments.GetOrCreateReleaseAsync(
            new NewRelease { ProjectId = projectId, Service = service, Version = version, ArtifactDigest = "sha256:" + version, CommitSha = "c0ffee" + version, CommittedAt = createdAt },
            Ct).DefaultTimeout();
        Time.SetUtcNow(createdAt);
        var deployment = await Store.Deployments.CreateDeploymentAsync(new NewDeployment { ReleaseId = release.Id, Environment = environment, Strategy = "rolling" }, cancellationToken: Ct).DefaultTimeout();
        await Store.Deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Pending, DeploymentStatus.Progressing, cancellationToken: Ct).DefaultTimeout();
    }

    /// <summary>An approval for <paramref name="environment"/> asked at <paramref name="requestedAt"/>; returns its id.</summary>
    public async Task<long> RequestApprovalAsync(string environment, DateTimeOffset requestedAt, string project = "shop")
    {
        var projectId = await ProjectAsync(project);
        Time.SetUtcNow(requestedAt);
        var run = await Store.Runs.CreateRunAsync(new NewRun
        {
            ProjectId = projectId,
            WorkflowPath = ".github/workflows/delivery.yml",
            WorkflowName = "delivery",
            Event = "push",
            Ref = "refs/heads/main",
            Sha = "0123456789abcdef0123456789abcdef01234567",
            Actor = "dana",
        }, Ct).DefaultTimeout();
        var approval = await Store.Approvals.RequestAsync(new NewApproval
        {
            RunId = run.Id,
            ProjectId = projectId,
            Kind = ApprovalKind.Environment,
            Environment = environment,
            Title = "Deploy",
            Reviewers = ["bob", "carol"],
            Initiator = "dana",
        }, cancellationToken: Ct).DefaultTimeout();
        return approval.Id;
    }

    /// <summary><paramref name="reviewer"/> decides at <paramref name="at"/>, which completes the approval that way.</summary>
    public async Task DecideAsync(long approvalId, string reviewer, ApprovalDecision decision, DateTimeOffset at)
    {
        Time.SetUtcNow(at);
        await Store.Approvals.AddDecisionAsync(approvalId, reviewer, decision, cancellationToken: Ct).DefaultTimeout();
        Assert.True(await Store.Approvals.TryCompleteAsync(approvalId, decision == ApprovalDecision.Approved ? ApprovalStatus.Approved : ApprovalStatus.Rejected, cancellationToken: Ct).DefaultTimeout());
    }

    public async Task ExpireAsync(long approvalId, DateTimeOffset at)
    {
        Time.SetUtcNow(at);
        Assert.True(await Store.Approvals.TryCompleteAsync(approvalId, ApprovalStatus.Expired, cancellationToken: Ct).DefaultTimeout());
    }

    public async Task<long> ProjectAsync(string name)
    {
        if (!_projects.TryGetValue(name, out var id))
        {
            _projects[name] = id = (await Store.Projects.CreateAsync(new NewProject { Name = name, Repository = "/srv/git/" + name }, cancellationToken: Ct).DefaultTimeout())!.Id;
        }

        return id;
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}
