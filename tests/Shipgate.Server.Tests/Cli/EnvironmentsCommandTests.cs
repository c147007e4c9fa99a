using System.Text.Json;
using Shipgate.Server.Api;
using Shipgate.Server.Hosting;
using Shipgate.Server.Tests.Environments;
using Shipgate.Server.Tests.Infrastructure;
using Shipgate.Storage.Deployments;

namespace Shipgate.Server.Tests.Cli;

public sealed class EnvironmentsCommandTests
{
    [Fact]
    public async Task Environments_AfterADeployment_TableAndJsonShowTheRelease()
    {
        using var repository = EnvironmentEndpointsTests.Repository(TestRepository.ProductionGateConfig);
        await using var server = await RunningServer.StartAsync();
        await server.AddProjectAsync("web", repository.Root);
        var projectId = (await server.Service<ServerStore>().Store.Projects.GetByNameAsync("web", Ct).DefaultTimeout())!.Id;
        var sha = repository.Git("rev-parse", "HEAD").Trim();
        await EnvironmentEndpointsTests.DeployAsync(server, projectId, "production", "2.0.0", sha, DeploymentStatus.Succeeded);

        var table = await ShipgateProcess.RunAsync(["environments", "web"], ShipgateProcess.For(server, server.AdminToken));
        var json = await ShipgateProcess.RunAsync(["environments", "web", "--json"], ShipgateProcess.For(server, server.AdminToken));
        var missing = await ShipgateProcess.RunAsync(["environments", "nope"], ShipgateProcess.For(server, server.AdminToken));

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("production", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 of alice", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("api@2.0.0", table.Stdout, StringComparison.Ordinal);
        Assert.True(json.ExitCode == 0, json.ToString());
        var listing = JsonSerializer.Deserialize(json.Stdout, ApiJsonContext.Default.ProjectEnvironmentsResponse)!;
        var production = Assert.Single(listing.Environments);
        Assert.Equal(("production", true, "delivery"), (production.Name, production.Declared, production.Mode));
        Assert.Equal(("api", "2.0.0", sha), Assert.Single(production.Releases) is var release ? (release.Service, release.Version, release.Commit) : default);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("There is no project 'nope'.", missing.Stderr, StringComparison.Ordinal);
    }
}
