namespace Shipgate.Storage.Notifications;

/// <summary>A notification in the outbox, for listings and tests.</summary>
public sealed record OutboxEntry(long Id, long WebhookId, long? RunId, string Event, OutboxStatus Status, int Attempts, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt);
