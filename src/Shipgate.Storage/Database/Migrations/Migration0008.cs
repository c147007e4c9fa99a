namespace Shipgate.Storage.Database.Migrations;

/// <summary>
/// Progressive delivery (issue #9): the verbs people give a running canary (promote, abort, pause, resume), kept until
/// the rollout takes them, so that a verb survives until it acts and acts once; at most one of each verb waits per
/// deployment. A deployment's live progress (the step, the weights, what it waits for, the last analysis decision) and
/// which mode decided it (delivery: who approved; deployment: the automated gates).
/// </summary>
internal static class Migration0008
{
    public static readonly Migration Instance = new(8, "deployment commands, progress, decided by", """
        CREATE TABLE deployment_commands (
            id {id},
            deployment_id BIGINT NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
            verb TEXT NOT NULL CHECK (verb IN ('promote', 'promote-full', 'abort', 'pause', 'resume')),
            actor TEXT NOT NULL,
            given_at {timestamp} NOT NULL,
            taken_at {timestamp}
        );
        CREATE UNIQUE INDEX deployment_commands_one_waiting ON deployment_commands (deployment_id, verb) WHERE taken_at IS NULL;
        ALTER TABLE deployments ADD COLUMN progress_json TEXT;
        ALTER TABLE deployments ADD COLUMN decided_by TEXT;
        """);
}
