namespace Shipgate.Server.Notifications;

/// <summary>The approval of a notification: its status, who may decide, how many must, and the decisions so far.</summary>
internal sealed record NotificationApproval(long Id, string Status, IReadOnlyList<string> Reviewers, int Required, IReadOnlyList<NotificationDecision> Decisions);
