namespace Shipgate.Storage.Database.Migrations;

/// <summary>
/// Concurrency groups across runs and outgoing notifications. A run's group is compared by
/// <c>concurrency_key</c> (the project and the group, lower-cased: GitHub's groups ignore case).
/// <c>notified_sequence</c> is how far the notifier has read the run's event stream (existing runs
/// start as read, so an upgrade notifies nothing old). <c>cancel_requested</c> asks the server running
/// a run to cancel it (cancel-in-progress from another server). Webhooks keep their URL and secret encrypted;
/// the outbox holds each notification until it is delivered or given up.
/// </summary>
internal static class Migration0002
{
    public static readonly Migration Instance = new(2, "concurrency groups across runs, outgoing webhooks", """
        ALTER TABLE runs ADD COLUMN concurrency_key TEXT;
        ALTER TABLE runs ADD COLUMN notified_sequence BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE runs ADD COLUMN cancel_requested TEXT;
        UPDATE runs SET notified_sequence = last_event_sequence;
        CREATE INDEX runs_by_concurrency_key ON runs (concurrency_key, status) WHERE concurrency_key IS NOT NULL;
        CREATE INDEX runs_to_notify ON runs (id) WHERE last_event_sequence > notified_sequence;

        CREATE TABLE notification_webhooks (
            id {id},
            url {bytes} NOT NULL,
            display_url TEXT NOT NULL,
            format TEXT NOT NULL CHECK (format IN ('json', 'slack')),
            project_id BIGINT REFERENCES projects (id) ON DELETE CASCADE,
            events_json TEXT NOT NULL,
            secret {bytes},
            created_by TEXT NOT NULL,
            created_at {timestamp} NOT NULL
        );

        CREATE TABLE notification_outbox (
            id {id},
            webhook_id BIGINT NOT NULL REFERENCES notification_webhooks (id) ON DELETE CASCADE,
            run_id BIGINT REFERENCES runs (id) ON DELETE CASCADE,
            event TEXT NOT NULL,
            payload_json TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at {timestamp} NOT NULL,
            last_error TEXT,
            created_at {timestamp} NOT NULL,
            delivered_at {timestamp}
        );
        CREATE INDEX notification_outbox_due ON notification_outbox (next_attempt_at, id) WHERE status = 'pending';
        CREATE INDEX notification_outbox_by_webhook ON notification_outbox (webhook_id, id);
        """);
}
