namespace Shipgate.Storage.Database.Migrations;

/// <summary>
/// Webhook replays: a delivery is remembered by its id and by the SHA-256 of its body per project (a signed body
/// re-sent to the same project under a new delivery id is a replay; two projects of one repository each get it), for a retention period (pruned by <c>received_at</c>). Runs are found
/// by their commit, so a push seen twice runs once however many runs came since.
/// </summary>
internal static class Migration0004
{
    public static readonly Migration Instance = new(4, "webhook body digests, runs by commit", """
        ALTER TABLE webhook_deliveries ADD COLUMN body_sha256 TEXT;
        CREATE UNIQUE INDEX webhook_deliveries_by_body ON webhook_deliveries (project_id, body_sha256);
        CREATE INDEX webhook_deliveries_by_time ON webhook_deliveries (received_at);
        CREATE INDEX runs_by_commit ON runs (project_id, sha);
        """);
}
