namespace Shipgate.Storage.Notifications;

/// <summary>What an outgoing webhook posts: Shipgate's JSON, or a Slack-compatible message (<c>{"text": …}</c>).</summary>
public enum NotificationFormat
{
    Json,
    Slack,
}
