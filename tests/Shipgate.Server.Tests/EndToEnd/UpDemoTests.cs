using System.Globalization;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.EndToEnd;

/// <summary>The README's main command, <c>shipgate up --demo</c>, as a newcomer runs it: a run, a waiting approval, alice approves, production is deployed.</summary>
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
    }
}
