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
}
