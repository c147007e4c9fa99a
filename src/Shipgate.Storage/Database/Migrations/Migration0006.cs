namespace Shipgate.Storage.Database.Migrations;

/// <summary>
/// Approvals end with their run: a fifth status, <c>cancelled</c>, for the open approvals of a run that completed
/// (issue #7). A CHECK constraint cannot be altered in SQLite, so the status moves to a new column with the
/// wider CHECK, which then takes the old name: the same statements on SQLite (3.35 and later) and PostgreSQL.
/// </summary>
internal static class Migration0006
{
    public static readonly Migration Instance = new(6, "approvals end with their run (status cancelled)", """
        ALTER TABLE approvals ADD COLUMN status_new TEXT NOT NULL DEFAULT 'pending'
            CHECK (status_new IN ('pending', 'approved', 'rejected', 'expired', 'cancelled'));
        UPDATE approvals SET status_new = status;
        DROP INDEX approvals_by_status;
        ALTER TABLE approvals DROP COLUMN status;
        ALTER TABLE approvals RENAME COLUMN status_new TO status;
        CREATE INDEX approvals_by_status ON approvals (status, id);
        """);
}
