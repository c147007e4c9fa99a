namespace Shipgate.Server.Notifications;

/// <summary>
/// The notifications and the run events they come from (matched by kind): approval.requested (a
/// person must decide) and environment.waiting (a wait timer, a freeze window) → waiting, approval.approved → approved, approval.rejected → rejected, deployment.succeeded → deployed,
/// run.finished with conclusion failure → failed, deployment.rolled_back → rolled-back.
/// </summary>
internal static class NotificationEvents
{
    public const string Waiting = "waiting";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Deployed = "deployed";
    public const string Failed = "failed";
    public const string RolledBack = "rolled-back";

    public static IReadOnlyList<string> All { get; } = [Waiting, Approved, Rejected, Deployed, Failed, RolledBack];

    /// <summary>The notification a run event gives, or null (most events give none).</summary>
    public static string? For(string kind, string? conclusion) => kind switch
    {
        "approval.requested" or "environment.waiting" => Waiting,
        "approval.approved" => Approved,
        "approval.rejected" => Rejected,
        "deployment.succeeded" => Deployed,
        "run.finished" when conclusion == "failure" => Failed,
        "deployment.rolled_back" or "deployment.rolled-back" => RolledBack,
        _ => null,
    };

    /// <summary>Whether a run event of this kind may give a notification (run.finished depends on its conclusion).</summary>
    public static bool MayNotify(string kind) => kind is "approval.requested" or "environment.waiting" or "approval.approved" or "approval.rejected" or "deployment.succeeded" or "run.finished" or "deployment.rolled_back" or "deployment.rolled-back";
}
