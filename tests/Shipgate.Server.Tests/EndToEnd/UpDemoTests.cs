using System.Globalization;
using System.Net;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.EndToEnd;

/// <summary>
/// The README's main command, <c>shipgate up --demo</c>, as a newcomer runs it: a run deploys the sample to staging
/// through the local edge, which serves it, and waits for an approval; alice approves, production is deployed and served.
/// </summary>
public sealed class UpDemoTests
{
    [Fact]
    public async Task UpDemo_AliceApproves_TheSampleIsDeployedToProduction()
    {
        await using var up = await ShipgateUp.StartAsync("--demo");
        var alice = File.ReadAllText(Path.Combine(up.DataDirectory, "demo", "alice.token")).Trim();

        var approval = await EventuallyAsync(
            async () => (await up.JsonAsync(["approvals", "list", "--status", "pending"], ApiJsonContext.Default.ApprovalResponseArray)).FirstOrDefault(),
            "the demo's run to wait for an approval",
            TimeSpan.FromSeconds(90));
        var waiting = await up.JsonAsync(["runs", "show", approval.Run.ToString(CultureInfo.InvariantCulture)], ApiJsonContext.Default.RunDetailResponse);
        var staging = await up.GetThroughEdgeAsync("hello-service.staging.localhost");
        var productionBefore = await up.GetThroughEdgeAsync("hello-service.production.localhost");
        var approved = await up.RunAsync(["approve", approval.Id.ToString(CultureInfo.InvariantCulture)], alice);
        var done = await EventuallyAsync(
            async () => await up.JsonAsync(["runs", "show", approval.Run.ToString(CultureInfo.InvariantCulture)], ApiJsonContext.Default.RunDetailResponse) is { Run.Status: "completed" } detail ? detail : null,
            "the demo's run to complete",
            TimeSpan.FromSeconds(90));

        Assert.Contains("shipgate logs 1 --follow", up.Output, StringComparison.Ordinal);
        Assert.Equal("waiting", waiting.Run.Status);
        Assert.Equal("success", Assert.Single(waiting.Jobs, j => j.Key == "deploy-to-staging").Conclusion);
        Assert.Contains("production", approval.Title, StringComparison.Ordinal);
        Assert.Contains("alice", approval.Reviewers);
        Assert.True(approved.ExitCode == 0, approved.ToString());
        Assert.Equal("success", done.Run.Conclusion);
        Assert.Equal("success", Assert.Single(done.Jobs, j => j.Key == "deploy-to-production").Conclusion);
        Assert.Equal(HttpStatusCode.OK, staging.Status);
        Assert.Contains("Hello from hello-service", staging.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, productionBefore.Status);
        var production = await up.GetThroughEdgeAsync("hello-service.production.localhost");
        Assert.Equal(HttpStatusCode.OK, production.Status);
        Assert.Equal(staging.Version, production.Version);
        Assert.Contains(".staging.localhost:", up.Output, StringComparison.Ordinal);
    }
}
