using Shipgate.Storage.Database;
using Shipgate.Storage.Runs;

namespace Shipgate.Storage.Triggers;

/// <summary>
/// What makes triggers fire once: webhook deliveries by their delivery id (GitHub redelivers) and by their
/// body's digest (a replay under a new id), and schedule slots by their fire time, also across restarts and
/// between servers sharing PostgreSQL. Whoever records a delivery or slot first is the one that acts on it; a
/// delivery is recorded in the same transaction that queues its runs, so a crash loses neither alone.
/// </summary>
public sealed class TriggerStore
{
    private readonly StoreDatabase _database;
    private readonly TimeProvider _time;
    private readonly RunStore _runs;

    internal TriggerStore(StoreDatabase database, TimeProvider time, RunStore runs)
    {
        _database = database;
        _time = time;
        _runs = runs;
    }

    /// <summary>Whether a delivery with this id or body was recorded within the retention period (a cheap look before the work).</summary>
    public Task<WebhookDeliveryStatus> GetWebhookDeliveryStatusAsync(long projectId, string deliveryId, string bodySha256, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => StatusAsync(session, projectId, deliveryId, bodySha256, cancellationToken), cancellationToken);

    /// <summary>
    /// Records a signed webhook delivery and queues its <paramref name="runs"/> in one transaction, after forgetting
    /// deliveries older than <paramref name="retention"/>. When the delivery id or the body was recorded before,
    /// nothing is written and the status says which.
    /// </summary>
    public Task<RecordedDelivery> RecordWebhookDeliveryAsync(WebhookDelivery delivery, IReadOnlyList<NewRun> runs, TimeSpan retention, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(runs);
        return _database.WriteAsync(async session =>
        {
            var now = StoreClock.Now(_time);
            await session.Sql("DELETE FROM webhook_deliveries WHERE received_at < @cutoff").Add("@cutoff", now - retention).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            var inserted = await session.Sql("""
                INSERT INTO webhook_deliveries (delivery_id, project_id, event, signature_ok, received_at, body_sha256) VALUES (@id, @project, @event, @ok, @now, @digest)
                ON CONFLICT DO NOTHING
                """)
                .Add("@id", delivery.DeliveryId)
                .Add("@project", delivery.ProjectId)
                .Add("@event", delivery.EventName)
                .Add("@ok", true)
                .Add("@now", now)
                .Add("@digest", delivery.BodySha256)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            if (inserted == 0)
            {
                return new RecordedDelivery(await StatusAsync(session, delivery.ProjectId, delivery.DeliveryId, delivery.BodySha256, cancellationToken).ConfigureAwait(false), []);
            }

            var queued = new List<QueuedRun>(runs.Count);
            foreach (var run in runs)
            {
                queued.Add(await _runs.QueueRunAsync(session, run, cancellationToken).ConfigureAwait(false));
            }

            return new RecordedDelivery(WebhookDeliveryStatus.New, queued);
        }, cancellationToken);
    }

    private static async Task<WebhookDeliveryStatus> StatusAsync(DbSession session, long projectId, string deliveryId, string bodySha256, CancellationToken cancellationToken)
    {
        var status = WebhookDeliveryStatus.New;
        await session.Sql("SELECT delivery_id FROM webhook_deliveries WHERE delivery_id = @id OR (project_id = @project AND body_sha256 = @digest)")
            .Add("@id", deliveryId)
            .Add("@project", projectId)
            .Add("@digest", bodySha256)
            .EachAsync(row =>
            {
                status = row.String(0) == deliveryId ? WebhookDeliveryStatus.Redelivered : WebhookDeliveryStatus.Replayed;
                return status != WebhookDeliveryStatus.Redelivered;
            }, cancellationToken).ConfigureAwait(false);
        return status;
    }

    /// <summary>Records that a workflow's schedule fires for the slot <paramref name="fireAt"/>; false when that slot fired already.</summary>
    public Task<bool> TryRecordScheduleFireAsync(long projectId, string workflowPath, string cron, DateTimeOffset fireAt, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(async session => await session.Sql("""
            INSERT INTO schedule_fires (project_id, workflow_path, cron, fire_at, recorded_at) VALUES (@project, @workflow, @cron, @fire, @now)
            ON CONFLICT (project_id, workflow_path, cron, fire_at) DO NOTHING
            """)
            .Add("@project", projectId)
            .Add("@workflow", workflowPath)
            .Add("@cron", cron)
            .Add("@fire", fireAt)
            .Add("@now", StoreClock.Now(_time))
            .ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1, cancellationToken);

    /// <summary>The last slot a schedule fired for, or null: where a restarted scheduler resumes.</summary>
    public Task<DateTimeOffset?> GetLastScheduleFireAsync(long projectId, string workflowPath, string cron, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(async session =>
        {
            DateTimeOffset? last = null;
            await session.Sql("SELECT fire_at FROM schedule_fires WHERE project_id = @project AND workflow_path = @workflow AND cron = @cron ORDER BY fire_at DESC LIMIT 1")
                .Add("@project", projectId)
                .Add("@workflow", workflowPath)
                .Add("@cron", cron)
                .EachAsync(row =>
                {
                    last = row.Time(0);
                    return false;
                }, cancellationToken).ConfigureAwait(false);
            return last;
        }, cancellationToken);
}
