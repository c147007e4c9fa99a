using Shipgate.Storage.Database;

namespace Shipgate.Storage.Triggers;

/// <summary>
/// What makes triggers fire once: webhook deliveries by their delivery id (GitHub redelivers), and
/// schedule slots by their fire time, also across restarts and between servers sharing PostgreSQL.
/// Record first, then act: whoever records a delivery or slot first is the one that acts on it.
/// </summary>
public sealed class TriggerStore
{
    private readonly StoreDatabase _database;
    private readonly TimeProvider _time;

    internal TriggerStore(StoreDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    /// <summary>Records a webhook delivery; false when it was recorded before (a redelivery: do not act on it again).</summary>
    public Task<bool> TryRecordWebhookDeliveryAsync(string deliveryId, long? projectId, string eventName, bool signatureOk, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(async session => await session.Sql("""
            INSERT INTO webhook_deliveries (delivery_id, project_id, event, signature_ok, received_at) VALUES (@id, @project, @event, @ok, @now)
            ON CONFLICT (delivery_id) DO NOTHING
            """)
            .Add("@id", deliveryId)
            .Add("@project", projectId)
            .Add("@event", eventName)
            .Add("@ok", signatureOk)
            .Add("@now", StoreClock.Now(_time))
            .ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1, cancellationToken);

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
