namespace Shipgate.Server.Notifications;

/// <summary>
/// What a webhook in Shipgate's JSON format receives: the event (waiting, approved, rejected, deployed,
/// failed, rolled-back), the project, the run, the environment and approval when there is one, why, and when.
/// </summary>
internal sealed record NotificationPayload(
    string Event,
    string Project,
    NotificationRun Run,
    string? Environment,
    NotificationApproval? Approval,
    string? Reason,
    DateTimeOffset At);
