using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shipgate.Delivery.Rollouts;
using Shipgate.Server.Api;
using Shipgate.Server.Hosting;
using Shipgate.Server.Tests.Infrastructure;
using Shipgate.Storage.Deployments;

namespace Shipgate.Server.Tests.Deployments;

/// <summary>
/// The verbs' refusals on the real server: each attack is made through the API against a canary deployment recorded
/// in the store (no rollout takes the verbs, so what was recorded stays to be counted), and changes nothing.
/// </summary>
public sealed class DeploymentVerbTests : IAsyncLifetime
{
    private readonly TestRepository _repository = new();
    private RunningServer _server = null!;

    private DeploymentStore Deployments => _server.Service<ServerStore>().Store.Deployments;

    public async ValueTask InitializeAsync()
    {
        _repository.Write("README", "web\n");
        _repository.Commit("first");
        _server = await RunningServer.StartAsync();
        await _server.AddProjectAsync("web", _repository.Root);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _repository.Dispose();
    }

    [Fact]
    public async Task Verb_ReplayedBeforeTheRolloutTookIt_RefusedAndRecordedOnce()
    {
        var deployment = await CanaryAsync(Waiting("promote (pause)"));

        var first = await PostAsync(deployment, "abort");
        var replay = await PostAsync(deployment, "abort");

        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.Equal((HttpStatusCode.Conflict, $"A abort of deployment {deployment.Id} waits already and acts at the rollout's next look; it is not given twice."), replay);
        Assert.Equal("abort", (await Deployments.TakeCommandAsync(deployment.Id, Ct).DefaultTimeout())?.Verb);
        Assert.Null(await Deployments.TakeCommandAsync(deployment.Id, Ct).DefaultTimeout());
        Assert.Single(await AuditAsync("deployment.abort"));
    }

    [Fact]
    public async Task Verb_ByAnApproverOfAnotherEnvironment_ForbiddenAndNothingRecorded()
    {
        var deployment = await CanaryAsync(Waiting("promote (pause)"));
        var stan = await _server.CreateUserAsync("stan", "approver", environments: ["staging"]);

        var refused = await PostAsync(deployment, "promote", stan);

        Assert.Equal((HttpStatusCode.Forbidden, "stan may not promote deployments in production: only its approvers and admins may."), refused);
        Assert.Null(await Deployments.TakeCommandAsync(deployment.Id, Ct).DefaultTimeout());
        Assert.Empty(await AuditAsync("deployment.promote"));
    }

    [Fact]
    public async Task Verb_ByADeveloper_Forbidden()
    {
        var deployment = await CanaryAsync(Waiting("promote (pause)"));
        var dev = await _server.CreateUserAsync("dev", "developer");

        var refused = await PostAsync(deployment, "abort", dev);

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Null(await Deployments.TakeCommandAsync(deployment.Id, Ct).DefaultTimeout());
    }

    [Fact]
    public async Task Verb_OnAFinishedDeployment_ConflictAndNothingRecorded()
    {
        var deployment = await CanaryAsync(Waiting("promote (pause)"));
        await Deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Paused, DeploymentStatus.RolledBack, "aborted", cancellationToken: Ct).DefaultTimeout();

        var refused = await PostAsync(deployment, "promote");

        Assert.Equal((HttpStatusCode.Conflict, $"Deployment {deployment.Id} is rolled-back; only a running deployment takes promote."), refused);
        Assert.Null(await Deployments.TakeCommandAsync(deployment.Id, Ct).DefaultTimeout());
    }

    [Theory]
    [InlineData("promote", null, "waits for nothing a promote ends (step 1 of 3: weight)")]
    [InlineData("resume", null, "is not paused; there is nothing to resume.")]
    [InlineData("pause", "resume (paused by alice)", "is paused already (resume (paused by alice)).")]
    public async Task Verb_ThatDoesNotFitTheState_Conflict(string verb, string? waitingFor, string refusal)
    {
        var deployment = await CanaryAsync(Waiting(waitingFor) with { Step = 1, StepKind = "weight" });

        var (status, detail) = await PostAsync(deployment, verb);

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains(refusal, detail, StringComparison.Ordinal);
        Assert.Null(await Deployments.TakeCommandAsync(deployment.Id, Ct).DefaultTimeout());
    }

    [Fact]
    public async Task Verb_OnAJobsEntryRecord_Conflict()
    {
        var deployment = await CanaryAsync(Waiting(null), strategy: "workflow");

        var (status, detail) = await PostAsync(deployment, "abort");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("is a job's entry into production (workflow), not a rollout", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verb_UnknownOrOnAMissingDeployment_NotFound()
    {
        var deployment = await CanaryAsync(Waiting(null));

        Assert.Equal((HttpStatusCode.NotFound, "There is no deployment verb 'skip'; use promote, abort, pause, resume or retry."), await PostAsync(deployment, "skip"));
        Assert.Equal((HttpStatusCode.NotFound, "There is no deployment 999999."), await PostAsync(deployment with { Id = 999999 }, "abort"));
    }

    [Fact]
    public async Task Retry_OfARunningDeployment_Conflict()
    {
        var deployment = await CanaryAsync(Waiting(null));

        var (status, detail) = await PostAsync(deployment, "retry");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal($"Deployment {deployment.Id} is a progressing canary deployment; only a rolled-back, aborted or failed canary, shadow or flag ramp can be retried.", detail);
    }

    private static CanaryProgress Waiting(string? waitingFor) => new()
    {
        Step = 2,
        Steps = 3,
        StepKind = "pause",
        StableVersion = "v1",
        CanaryVersion = "v2",
        CanaryPermille = 100,
        WaitingFor = waitingFor,
        Mode = "deployment",
    };

    /// <summary>A canary deployment of web v2 to production, active, with <paramref name="progress"/> published as its rollout would.</summary>
    private async Task<DeploymentRecord> CanaryAsync(CanaryProgress progress, string strategy = "canary")
    {
        var project = (await _server.Service<ServerStore>().Store.Projects.GetByNameAsync("web", Ct).DefaultTimeout())!;
        var release = await Deployments.GetOrCreateReleaseAsync(
            new NewRelease { ProjectId = project.Id, Service = "web", Version = "v2", ArtifactDigest = "sha256:" + new string('a', 64), CommitSha = "c0ffee" }, Ct).DefaultTimeout();
        var deployment = await Deployments.CreateDeploymentAsync(new NewDeployment { ReleaseId = release.Id, Environment = "production", Strategy = strategy }, cancellationToken: Ct).DefaultTimeout();
        await Deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Pending, DeploymentStatus.Progressing, cancellationToken: Ct).DefaultTimeout();
        await Deployments.UpdateProgressAsync(deployment.Id, JsonSerializer.Serialize(progress, ApiJsonContext.Default.CanaryProgress), progress.WaitingFor is not null, Ct).DefaultTimeout();
        return deployment;
    }

    private async Task<(HttpStatusCode Status, string Detail)> PostAsync(DeploymentRecord deployment, string verb, string? token = null)
    {
        using var client = _server.ClientWith(token ?? _server.AdminToken);
        using var response = await client.PostAsJsonAsync($"/api/v1/deployments/{deployment.Id}/{verb}", new DeploymentVerbRequest(), ApiJsonContext.Default.DeploymentVerbRequest, Ct).DefaultTimeout();
        if (response.IsSuccessStatusCode)
        {
            return (response.StatusCode, "");
        }

        var problem = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.ApiProblem, Ct).DefaultTimeout();
        return (response.StatusCode, problem?.Detail ?? "");
    }

    private async Task<List<Storage.Audit.AuditEntry>> AuditAsync(string action) =>
        [.. (await _server.Service<ServerStore>().Store.Audit.ListAsync(cancellationToken: Ct).DefaultTimeout()).Where(e => e.Action == action)];
}
