namespace Shipgate.Server.Api;

/// <summary>
/// An outgoing webhook. <see cref="Url"/> shows only the scheme, host and port (the path of a Slack URL
/// is its secret); <see cref="Events"/> empty means all; <see cref="LastDelivery"/> is the newest
/// notification's status (pending, delivered, failed) and <see cref="LastError"/> its last error.
/// </summary>
public sealed record NotificationWebhookResponse(
    long Id,
    string Url,
    string Format,
    string? Project,
    IReadOnlyList<string> Events,
    bool Signed,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    string? LastDelivery = null,
    string? LastError = null);
