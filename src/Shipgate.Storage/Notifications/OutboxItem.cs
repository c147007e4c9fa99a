namespace Shipgate.Storage.Notifications;

/// <summary>A notification claimed for delivery; <see cref="Attempts"/> counts this attempt.</summary>
public sealed record OutboxItem(long Id, long WebhookId, long? RunId, string Event, string PayloadJson, int Attempts);
