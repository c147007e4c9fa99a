using System.Text.Json;
using Shipgate.Server.Api;
using Shipgate.Server.Hosting;
using Shipgate.Server.Tests.Infrastructure;
using Shipgate.Storage.Deployments;

namespace Shipgate.Server.Tests.Cli;

public sealed class StatusCommandTests
{
    [Fact]
    public async Task Status_SucceededDeployment_ShowsTheEnvironmentsCurrentRelease()
    {
        using var repository = TestRepository.WithCiWorkflow();
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var store = server.Service<ServerStore>().Store;
        var project = (await store.Projects.GetByNameAsync("web", Ct).DefaultTimeout())!;
        var sha = repository.Git("rev-parse", "HEAD").Trim();
        var release = await store.Deployments.GetOrCreateReleaseAsync(new NewRelease { ProjectId = project.Id, Service = "api", Version = "1.2.0", ArtifactDigest = "sha256:abc", CommitSha = sha }, Ct).DefaultTimeout();
        var deployment = await store.Deployments.CreateDeploymentAsync(new NewDeployment { ReleaseId = release.Id, Environment = "staging", Strategy = "rolling" }, cancellationToken: Ct).DefaultTimeout();
        await store.Deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Pending, DeploymentStatus.Progressing, cancellationToken: Ct).DefaultTimeout();
        await store.Deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Progressing, DeploymentStatus.Succeeded, cancellationToken: Ct).DefaultTimeout();

        var table = await ShipgateProcess.RunAsync(["status"], ShipgateProcess.For(server, server.AdminToken));
        var json = await ShipgateProcess.RunAsync(["status", "--json"], ShipgateProcess.For(server, server.AdminToken));

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("staging", table.Stdout, StringComparison.Ordinal);
        var current = Assert.Single(JsonSerializer.Deserialize(json.Stdout, ApiJsonContext.Default.EnvironmentStatusResponseArray)!);
        Assert.Equal(("web", "staging", "api", "1.2.0", sha), (current.Project, current.Environment, current.Service, current.Version, current.Commit));
    }
}
