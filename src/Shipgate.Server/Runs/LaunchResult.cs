using Shipgate.Storage.Runs;
using Shipgate.Storage.Triggers;

namespace Shipgate.Server.Runs;

/// <summary>What a trigger launched: whether its webhook delivery was new, and the trigger's runs (see <see cref="RunLauncher"/>).</summary>
internal sealed record LaunchResult(WebhookDeliveryStatus Delivery, IReadOnlyList<RunRecord> Runs);
