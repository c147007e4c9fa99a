using System.Text.Json;
using Shipgate.Server.Api;
using Shipgate.Server.Hosting;
using Shipgate.Server.Tests.Infrastructure;
using Shipgate.Storage.Deployments;

namespace Shipgate.Server.Tests.Insights;

public sealed class InsightsCommandTests
{
    [Fact]
    public async Task Insights_OneSucceededDeployment_TableWithUnitsDashesWithoutData_AndTheApisJson()
    {
        await using var server = await RunningServer.StartAsync();
        var store = server.Service<ServerStore>().Store;
        var project = await store.Projects.CreateAsync(new Storage.Projects.NewProject { Name = "shop", Repository = "/srv/git/shop" }, cancellationToken: Ct).DefaultTimeout();
        var now = TimeProvider.System.GetUtcNow();
        var release = await store.Deployments.GetOrCreateReleaseAsync(
            new NewRelease { ProjectId = project!.Id, Service = "api", Version = "1.0.0", ArtifactDigest = "sha256:abc", CommitSha = "c0ffee", CommittedAt = now.AddHours(-26) },
            Ct).DefaultTimeout();
        var deployment = await store.Deployments.CreateDeploymentAsync(new NewDeployment { ReleaseId = release.Id, Environment = "production", Strategy = "rolling" }, cancellationToken: Ct).DefaultTimeout();
        await store.Deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Pending, DeploymentStatus.Progressing, cancellationToken: Ct).DefaultTimeout();
        await store.Deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Progressing, DeploymentStatus.Succeeded, cancellationToken: Ct).DefaultTimeout();
        var environment = ShipgateProcess.For(server, server.AdminToken);

        var table = await ShipgateProcess.RunAsync(["insights", "--project", "shop", "--since", "7d"], environment);
        var json = await ShipgateProcess.RunAsync(["insights", "--project", "shop", "--env", "production", "--json"], environment);

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("project shop, every environment", table.Stdout, StringComparison.Ordinal);
        var row = table.Stdout.Split('\n').Single(l => l.StartsWith("shop ", StringComparison.Ordinal));
        // One success in 7 days; lead time a little over 1d 2h; no failure, so recovery has no data ("-"), not 0.
        Assert.Matches(@"^shop\s+production\s+1 \(1 ok, 0 failed, 0 rolled back\)\s+0\.14/day, 1/week\s+1d 2h / 1d 2h \(1\)\s+0% \(0/1\)\s+-\s+0% \(0/1\)$", row);
        Assert.Contains("APPROVALS: PROJECT", table.Stdout, StringComparison.Ordinal);
        Assert.True(json.ExitCode == 0, json.ToString());
        var insights = JsonSerializer.Deserialize(json.Stdout, ApiJsonContext.Default.InsightsResponse)!;
        Assert.Equal(("shop", "production", 1), (insights.Project, insights.Environment, insights.Overall.Deployments));
        Assert.Null(insights.Overall.RecoveryTime);
        Assert.Equal(TimeSpan.FromDays(30), insights.To - insights.From);
    }

    [Fact]
    public async Task Insights_BadSinceOrUnknownProject_OneSentenceAndTheExitCode()
    {
        await using var server = await RunningServer.StartAsync();
        var environment = ShipgateProcess.For(server, server.AdminToken);

        var badSince = await ShipgateProcess.RunAsync(["insights", "--since", "a month"], environment);
        var unknown = await ShipgateProcess.RunAsync(["insights", "--project", "nope"], environment);
        var anonymous = await ShipgateProcess.RunAsync(["insights"], ShipgateProcess.For(server, null));

        Assert.Equal(2, badSince.ExitCode);
        Assert.Equal("shipgate: since 'a month' is not a duration such as 7d, 30d or 12w of at most 366 days.", badSince.Stderr.Trim());
        Assert.Equal(4, unknown.ExitCode);
        Assert.Equal("shipgate: There is no project 'nope'.", unknown.Stderr.Trim());
        Assert.Equal(3, anonymous.ExitCode);
        Assert.Empty(badSince.Stdout);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(45, "45s")]
    [InlineData(750, "12m 30s")]
    [InlineData(8100, "2h 15m")]
    [InlineData(93_600, "1d 2h")]
    [InlineData(87_000, "1d")]
    public void Duration_Seconds_TwoLargestUnits(double seconds, string text) =>
        Assert.Equal(text, global::Shipgate.Cli.Commands.InsightsCommand.Duration(seconds));
}
