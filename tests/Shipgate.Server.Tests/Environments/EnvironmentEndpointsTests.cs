using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Shipgate.Server.Api;
using Shipgate.Server.Hosting;
using Shipgate.Server.Tests.Infrastructure;
using Shipgate.Storage.Deployments;

namespace Shipgate.Server.Tests.Environments;

public sealed class EnvironmentEndpointsTests
{
    private const string Config = """
        environments:
          staging:
            mode: deployment
          production:
            branches: [main, 'release/*']
            approval:
              reviewers: [alice, 'team:ops']
              required: 2
              prevent-self-review: true
              expires-after: 12h
              on-expiry: keep-waiting
            wait-timer: 5m
            freeze:
              - cron: "0 17 * * 5"
                duration: 63h
                timezone: Europe/Berlin
        """;

    /// <summary>Saturday 2026-03-07 12:00 UTC: inside the weekend freeze that began Friday 17:00 in Berlin (16:00 UTC).</summary>
    private static readonly DateTimeOffset Saturday = new(2026, 3, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task List_AfterDeployments_ShowsRulesFreezeSecretNamesReleasesActiveAndQueued_ToAViewer()
    {
        using var repository = Repository(Config);
        await using var server = await RunningServer.StartAsync(services: services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(new FakeTimeProvider(Saturday))));
        await server.AddProjectAsync("web", repository.Root);
        var store = server.Service<ServerStore>().Store;
        var projectId = (await store.Projects.GetByNameAsync("web", Ct).DefaultTimeout())!.Id;
        await store.Secrets.SetSecretAsync(projectId, "production", "DEPLOY_KEY", "pr0d-s3cret-value", cancellationToken: Ct).DefaultTimeout();
        await store.Secrets.SetSecretAsync(projectId, "old-staging", "LEFTOVER", "l3ftover-value", cancellationToken: Ct).DefaultTimeout();
        await store.Secrets.SetSecretAsync(projectId, null, "PROJECT_WIDE", "pr0ject-value", cancellationToken: Ct).DefaultTimeout();
        await store.Secrets.SetVariableAsync(projectId, "production", "REGION", "eu-west", cancellationToken: Ct).DefaultTimeout();
        var sha = repository.Git("rev-parse", "HEAD").Trim();
        await DeployAsync(server, projectId, "production", "1.0.0", sha, DeploymentStatus.Succeeded);
        await DeployAsync(server, projectId, "production", "1.1.0", sha, DeploymentStatus.Progressing);
        await DeployAsync(server, projectId, "production", "1.2.0", sha, DeploymentStatus.Pending);
        await DeployAsync(server, projectId, "legacy", "0.9.0", sha, DeploymentStatus.Succeeded);
        var viewer = await server.CreateUserAsync("victor", "viewer");

        using var client = server.ClientWith(viewer);
        var body = await client.GetStringAsync("/api/v1/projects/web/environments", Ct).DefaultTimeout();
        var listing = JsonSerializer.Deserialize(body, ApiJsonContext.Default.ProjectEnvironmentsResponse)!;

        Assert.Equal(("web", "main", sha), (listing.Project, listing.Branch, listing.Commit));
        Assert.Equal(["staging", "production", "legacy", "old-staging"], listing.Environments.Select(e => e.Name));
        Assert.Equal([true, true, false, false], listing.Environments.Select(e => e.Declared));
        var staging = listing.Environments[0];
        Assert.Equal(("deployment", null, null, null), (staging.Mode, staging.Branches, staging.Approval, staging.FrozenUntil));
        Assert.Empty(staging.Releases);
        var production = listing.Environments[1];
        Assert.Equal("delivery", production.Mode);
        Assert.Equal(["main", "release/*"], production.Branches!);
        Assert.Equal(["alice", "team:ops"], production.Approval!.Reviewers);
        Assert.Equal((2, true, "12h", "keep-waiting"), (production.Approval.Required, production.Approval.PreventSelfReview, production.Approval.ExpiresAfter, production.Approval.OnExpiry));
        Assert.Equal("5m", production.WaitTimer);
        var window = Assert.Single(production.Freeze);
        var mondayMorning = new DateTimeOffset(2026, 3, 9, 7, 0, 0, TimeSpan.Zero);
        Assert.Equal(("0 17 * * 5", "2d15h", "Europe/Berlin", mondayMorning), (window.Cron, window.Duration, window.TimeZone, window.ActiveUntil));
        Assert.Equal(mondayMorning, production.FrozenUntil);
        Assert.Equal(["DEPLOY_KEY"], production.Secrets);
        Assert.Equal(["REGION"], production.Variables);
        Assert.Equal(("api", "1.0.0", sha), Assert.Single(production.Releases) is var release ? (release.Service, release.Version, release.Commit) : default);
        Assert.Equal(("1.1.0", "progressing"), Assert.Single(production.Active) is var active ? (active.Version, active.Status) : default);
        Assert.Equal(1, production.Queued);
        Assert.Equal("0.9.0", Assert.Single(listing.Environments[2].Releases).Version);
        Assert.Equal(["LEFTOVER"], listing.Environments[3].Secrets);
        Assert.Null(listing.Environments[3].Mode);
        Assert.DoesNotContain("s3cret", body, StringComparison.Ordinal);
        Assert.DoesNotContain("l3ftover", body, StringComparison.Ordinal);
        Assert.DoesNotContain("eu-west", body, StringComparison.Ordinal);
        Assert.DoesNotContain("PROJECT_WIDE", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_MalformedShipgateYml_Answers422WithThePositionedError()
    {
        using var repository = Repository("""
            environments:
              staging:
                mode: sometimes
            """);
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);

        using var client = server.AdminClient();
        using var response = await client.GetAsync("/api/v1/projects/web/environments", Ct).DefaultTimeout();
        var problem = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.ApiProblem, Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Matches(@"shipgate\.yml:3:\d+: error: .*sometimes", problem!.Detail);
    }

    [Fact]
    public async Task List_UnknownProject_Answers404WithASentence()
    {
        await using var server = await RunningServer.StartAsync();

        using var client = server.AdminClient();
        using var response = await client.GetAsync("/api/v1/projects/nope/environments", Ct).DefaultTimeout();
        var problem = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.ApiProblem, Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("There is no project 'nope'.", problem!.Detail);
    }

    [Fact]
    public async Task OpenApi_DescribesTheEnvironmentsEndpoint()
    {
        await using var server = await RunningServer.StartAsync();

        var document = await server.Client.GetStringAsync("/openapi/v1.json", Ct).DefaultTimeout();

        Assert.Contains("/api/v1/projects/{name}/environments", document, StringComparison.Ordinal);
        Assert.Contains("ProjectEnvironmentsResponse", document, StringComparison.Ordinal);
    }

    internal static TestRepository Repository(string config)
    {
        var repository = new TestRepository();
        repository.Write("shipgate.yml", config);
        repository.Commit("environments");
        return repository;
    }

    internal static async Task DeployAsync(RunningServer server, long projectId, string environment, string version, string sha, DeploymentStatus status)
    {
        var deployments = server.Service<ServerStore>().Store.Deployments;
        var release = await deployments.GetOrCreateReleaseAsync(new NewRelease { ProjectId = projectId, Service = "api", Version = version, ArtifactDigest = "sha256:" + version, CommitSha = sha }, Ct).DefaultTimeout();
        var deployment = await deployments.CreateDeploymentAsync(new NewDeployment { ReleaseId = release.Id, Environment = environment, Strategy = "rolling" }, cancellationToken: Ct).DefaultTimeout();
        if (status != DeploymentStatus.Pending)
        {
            Assert.True((await deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Pending, DeploymentStatus.Progressing, cancellationToken: Ct).DefaultTimeout()) == DeploymentTransition.Applied);
        }

        if (status == DeploymentStatus.Succeeded)
        {
            Assert.True((await deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Progressing, DeploymentStatus.Succeeded, cancellationToken: Ct).DefaultTimeout()) == DeploymentTransition.Applied);
        }
    }
}
