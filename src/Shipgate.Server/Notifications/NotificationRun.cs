namespace Shipgate.Server.Notifications;

/// <summary>The run of a notification; <see cref="Url"/> is the run in the server's API.</summary>
internal sealed record NotificationRun(long Id, long Number, string Workflow, string Sha, string Ref, string Url);
