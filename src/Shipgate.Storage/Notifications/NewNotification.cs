namespace Shipgate.Storage.Notifications;

/// <summary>A notification for one webhook, to put in the outbox: the event's name and its JSON payload (Shipgate's format).</summary>
public sealed record NewNotification(long WebhookId, long? RunId, string Event, string PayloadJson);
