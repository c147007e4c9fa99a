namespace Shipgate.Storage.Database.Migrations;

/// <summary>
/// Deployments carried out by <c>shipgate/deploy</c> (issue #8): each strategy step with its start, end, outcome and
/// message; the release that served before (the target of a rollback); and until when blue-green keeps it warm (a
/// due time a background sweep acts on, so the cleanup survives a restart).
/// </summary>
internal static class Migration0007
{
    public static readonly Migration Instance = new(7, "deployment steps, previous release, keep-warm due time", """
        CREATE TABLE deployment_steps (
            id {id},
            deployment_id BIGINT NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            started_at {timestamp} NOT NULL,
            finished_at {timestamp} NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('succeeded', 'failed', 'skipped')),
            message TEXT NOT NULL
        );
        CREATE INDEX deployment_steps_by_deployment ON deployment_steps (deployment_id, id);
        ALTER TABLE deployments ADD COLUMN previous_release_id BIGINT REFERENCES releases (id) ON DELETE SET NULL;
        ALTER TABLE deployments ADD COLUMN keep_previous_until {timestamp};
        CREATE INDEX deployments_keep_previous ON deployments (keep_previous_until) WHERE keep_previous_until IS NOT NULL;
        """);
}
