namespace Shipgate.Storage.Triggers;

/// <summary>What the store knows of a webhook delivery.</summary>
public enum WebhookDeliveryStatus
{
    /// <summary>Not seen within the retention period: act on it.</summary>
    New,

    /// <summary>Its delivery id was recorded before: a redelivery, handled already.</summary>
    Redelivered,

    /// <summary>Its body was recorded before under another delivery id: a replay.</summary>
    Replayed,
}
