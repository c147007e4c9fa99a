using System.Globalization;
using Shipgate.Server.Api;

namespace Shipgate.Server.Tests.Infrastructure;

/// <summary>Waiting on a real <c>shipgate up</c> through the real client: a run's pending approval, a run's completion.</summary>
internal static class ShipgateUpWaits
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The pending approval of <paramref name="run"/>, once <c>shipgate approvals list --status pending</c> shows it.</summary>
    public static Task<ApprovalResponse> PendingApprovalAsync(this ShipgateUp up, long run) =>
        EventuallyAsync(
            async () => (await up.JsonAsync(["approvals", "list", "--status", "pending"], ApiJsonContext.Default.ApprovalResponseArray)).FirstOrDefault(a => a.Run == run),
            $"run {run} to wait for an approval",
            Timeout);

    /// <summary>The run, once <c>shipgate runs show</c> says it completed.</summary>
    public static Task<RunDetailResponse> CompletedRunAsync(this ShipgateUp up, long run) =>
        EventuallyAsync(
            async () => await up.JsonAsync(["runs", "show", run.ToString(CultureInfo.InvariantCulture)], ApiJsonContext.Default.RunDetailResponse) is { Run.Status: "completed" } detail ? detail : null,
            $"run {run} to complete",
            Timeout);

    /// <summary>Dispatches <paramref name="workflow"/> of the project <c>web</c> (added before) through the CLI; returns the run's id.</summary>
    public static async Task<string> DispatchAgainAsync(this ShipgateUp up, string workflow = "deploy.yml")
    {
        var dispatched = await up.RunAsync(["dispatch", "web", workflow]);
        Assert.True(dispatched.ExitCode == 0, dispatched.ToString());
        return dispatched.LastLine;
    }

    /// <summary>Waits for <paramref name="run"/> to complete and fails with its log and the server's output unless it ended <paramref name="expected"/>.</summary>
    public static async Task ExpectRunAsync(this ShipgateUp up, string run, string expected)
    {
        var done = await up.CompletedRunAsync(long.Parse(run, CultureInfo.InvariantCulture));
        if (done.Run.Conclusion != expected)
        {
            var logs = await up.RunAsync(["logs", run]);
            Assert.Fail($"Run {run} ended {done.Run.Conclusion}, not {expected}:\n{logs.Stdout}\n{up.Output}");
        }
    }
}
