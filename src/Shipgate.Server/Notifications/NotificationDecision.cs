namespace Shipgate.Server.Notifications;

/// <summary>One reviewer's decision on an approval.</summary>
internal sealed record NotificationDecision(string User, string Decision, string? Comment, DateTimeOffset At);
