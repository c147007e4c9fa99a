namespace Shipgate.Storage.Notifications;

/// <summary>An outgoing webhook to add: where to post, in which format, for which project (null: all) and events (empty: all).</summary>
public sealed record NewNotificationWebhook
{
    /// <summary>The absolute http(s) URL; kept encrypted (a Slack URL is itself a secret).</summary>
    public required string Url { get; init; }

    /// <summary>The URL as shown in listings and the audit log: scheme, host and port, without the secret path.</summary>
    public required string DisplayUrl { get; init; }

    public NotificationFormat Format { get; init; } = NotificationFormat.Json;

    public long? ProjectId { get; init; }

    /// <summary>waiting, approved, rejected, deployed, failed, rolled-back; empty for all of them.</summary>
    public IReadOnlyList<string> Events { get; init; } = [];

    /// <summary>The HMAC-SHA256 key of the X-Shipgate-Signature-256 header, or null for unsigned posts; kept encrypted.</summary>
    public string? Secret { get; init; }

    public required string CreatedBy { get; init; }
}
