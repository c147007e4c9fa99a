namespace Shipgate.Server.Notifications;

/// <summary>A Slack-compatible incoming-webhook message: one line of text.</summary>
internal sealed record SlackPayload(string Text);
