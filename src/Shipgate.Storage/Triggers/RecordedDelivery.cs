using Shipgate.Storage.Runs;

namespace Shipgate.Storage.Triggers;

/// <summary>
/// The outcome of <see cref="TriggerStore.RecordWebhookDeliveryAsync"/>: the delivery's status before it was recorded,
/// and the runs queued with it (none unless it was new).
/// </summary>
public sealed record RecordedDelivery(WebhookDeliveryStatus Status, IReadOnlyList<QueuedRun> Runs);
