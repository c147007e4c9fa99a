namespace Shipgate.Storage.Notifications;

/// <summary>An outgoing webhook as stored, its URL and secret decrypted.</summary>
public sealed record NotificationWebhook(
    long Id,
    string Url,
    string DisplayUrl,
    NotificationFormat Format,
    long? ProjectId,
    IReadOnlyList<string> Events,
    string? Secret,
    string CreatedBy,
    DateTimeOffset CreatedAt)
{
    /// <summary>Whether the webhook wants notifications of <paramref name="eventName"/> in project <paramref name="projectId"/>.</summary>
    public bool Wants(long projectId, string eventName) =>
        (ProjectId is null || ProjectId == projectId) && (Events.Count == 0 || Events.Contains(eventName, StringComparer.Ordinal));
}
