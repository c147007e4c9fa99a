namespace Shipgate.Server.Api;

/// <summary>
/// Approval waits of a scope (all when <see cref="Project"/> is null; <see cref="Environment"/> is null for the whole scope
/// and for manual-approval steps, which name none).
/// </summary>
public sealed record ApprovalWaitResponse(string? Project, string? Environment, int Decided, int Expired, int WaitingNow)
{
    /// <summary>Request to decision of the approvals approved or rejected in the period; null when none was.</summary>
    public DurationStatsResponse? Wait { get; init; }

    /// <summary>When the longest-waiting pending approval was asked; null when none waits.</summary>
    public DateTimeOffset? OldestWaitingSince { get; init; }
}
