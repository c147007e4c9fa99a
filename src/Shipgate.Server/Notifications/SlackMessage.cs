namespace Shipgate.Server.Notifications;

/// <summary>The one-line human message of a notification, as Slack shows it.</summary>
internal static class SlackMessage
{
    public static string Text(NotificationPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var what = $"{payload.Project} {Short(payload.Run.Sha)}";
        var run = $"(run {payload.Run.Id})";
        var environment = payload.Environment ?? "its environment";
        var deciders = payload.Approval is { } approval ? string.Join(", ", approval.Decisions.Select(d => d.User)) : "";
        var by = deciders.Length > 0 ? $" by {deciders}" : "";
        return payload.Event switch
        {
            NotificationEvents.Waiting when payload.Approval is { Status: "pending" } pending =>
                $"{what} waiting for approval to {environment} {run} — approve with: shipgate approve {pending.Id}",
            NotificationEvents.Waiting => $"{what} waiting to deploy to {environment} {run}{Because(payload.Reason)}",
            NotificationEvents.Approved => $"{what} approved for {environment}{by} {run}",
            NotificationEvents.Rejected => $"{what} rejected for {environment}{by} {run}{Because(payload.Approval?.Decisions.LastOrDefault(d => d.Decision == "rejected")?.Comment)}",
            NotificationEvents.Deployed => $"{what} deployed to {environment} {run}",
            NotificationEvents.Failed => $"{what} failed: {payload.Run.Workflow} {run}{Because(payload.Reason)}",
            NotificationEvents.RolledBack => $"{what} rolled back in {environment} {run}{Because(payload.Reason)}",
            _ => $"{what} {payload.Event} {run}",
        };
    }

    private static string Short(string sha) => sha[..Math.Min(7, sha.Length)];

    private static string Because(string? reason) => string.IsNullOrWhiteSpace(reason) ? "" : $": {reason}";
}
