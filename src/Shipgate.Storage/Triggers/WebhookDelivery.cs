namespace Shipgate.Storage.Triggers;

/// <summary>A signed webhook delivery to record: its id (X-GitHub-Delivery), its event and the SHA-256 of its body (hex).</summary>
public sealed record WebhookDelivery(string DeliveryId, long ProjectId, string EventName, string BodySha256);
