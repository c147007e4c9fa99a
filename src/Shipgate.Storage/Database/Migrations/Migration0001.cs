namespace Shipgate.Storage.Database.Migrations;

/// <summary>
/// The first schema: every record of issue 3 and the roadmap's first-class records (releases,
/// deployments, gate decisions, metric snapshots, audit entries). Written once for both engines; the
/// placeholders <c>{id}</c>, <c>{timestamp}</c>, <c>{bool}</c>, <c>{bytes}</c> are the only differences.
/// Enumerations are lower-case text with CHECK constraints, JSON is text kept verbatim (see the ADR).
/// </summary>
internal static class Migration0001
{
    public static readonly Migration Instance = new(1, "initial schema", """
        CREATE TABLE projects (
            id {id},
            name TEXT NOT NULL UNIQUE,
            repository TEXT NOT NULL,
            default_branch TEXT NOT NULL,
            webhook_secret {bytes},
            created_at {timestamp} NOT NULL
        );

        CREATE TABLE run_counters (
            project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            workflow_path TEXT NOT NULL,
            last_number BIGINT NOT NULL,
            PRIMARY KEY (project_id, workflow_path)
        );

        CREATE TABLE runs (
            id {id},
            project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            workflow_path TEXT NOT NULL,
            workflow_name TEXT NOT NULL,
            run_number BIGINT NOT NULL,
            attempt INTEGER NOT NULL,
            event TEXT NOT NULL,
            ref TEXT NOT NULL,
            sha TEXT NOT NULL,
            actor TEXT NOT NULL,
            initiator TEXT NOT NULL,
            inputs_json TEXT NOT NULL,
            concurrency_group TEXT,
            status TEXT NOT NULL CHECK (status IN ('queued', 'in_progress', 'waiting', 'completed')),
            conclusion TEXT CHECK (conclusion IN ('success', 'failure', 'cancelled', 'skipped')),
            reason TEXT,
            run_directory TEXT,
            created_at {timestamp} NOT NULL,
            started_at {timestamp},
            finished_at {timestamp},
            lease_owner TEXT,
            lease_expires_at {timestamp},
            last_event_sequence BIGINT NOT NULL DEFAULT 0
        );
        CREATE INDEX runs_by_project ON runs (project_id, id);
        CREATE INDEX runs_by_status ON runs (status, id);
        CREATE INDEX runs_by_concurrency_group ON runs (concurrency_group, status) WHERE concurrency_group IS NOT NULL;

        CREATE TABLE jobs (
            id {id},
            run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            job_key TEXT NOT NULL,
            job_id TEXT NOT NULL,
            name TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('queued', 'in_progress', 'waiting', 'completed')),
            conclusion TEXT CHECK (conclusion IN ('success', 'failure', 'cancelled', 'skipped')),
            outcome TEXT CHECK (outcome IN ('success', 'failure', 'cancelled', 'skipped')),
            reason TEXT,
            outputs_json TEXT,
            matrix_json TEXT,
            environment TEXT,
            runner TEXT,
            attempt INTEGER NOT NULL,
            created_at {timestamp} NOT NULL,
            started_at {timestamp},
            finished_at {timestamp},
            lease_owner TEXT,
            lease_expires_at {timestamp},
            UNIQUE (run_id, job_key)
        );
        CREATE INDEX jobs_by_status ON jobs (status, id);
        CREATE INDEX jobs_by_lease ON jobs (lease_expires_at) WHERE lease_owner IS NOT NULL;

        CREATE TABLE steps (
            job_id BIGINT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            step_id TEXT,
            name TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('queued', 'in_progress', 'waiting', 'completed')),
            conclusion TEXT CHECK (conclusion IN ('success', 'failure', 'cancelled', 'skipped')),
            outcome TEXT CHECK (outcome IN ('success', 'failure', 'cancelled', 'skipped')),
            reason TEXT,
            log_path TEXT,
            started_at {timestamp},
            finished_at {timestamp},
            PRIMARY KEY (job_id, number)
        );

        CREATE TABLE run_events (
            run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            sequence BIGINT NOT NULL,
            kind TEXT NOT NULL,
            payload_json TEXT NOT NULL,
            at {timestamp} NOT NULL,
            PRIMARY KEY (run_id, sequence)
        );

        CREATE TABLE artifacts (
            id {id},
            run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            digest TEXT NOT NULL,
            size BIGINT NOT NULL,
            job_key TEXT NOT NULL,
            created_at {timestamp} NOT NULL,
            UNIQUE (run_id, name)
        );

        CREATE TABLE environments (
            id {id},
            project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            commit_sha TEXT NOT NULL,
            config_json TEXT NOT NULL,
            updated_at {timestamp} NOT NULL,
            UNIQUE (project_id, name)
        );

        CREATE TABLE approvals (
            id {id},
            run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            run_attempt INTEGER NOT NULL,
            project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            environment TEXT,
            job_key TEXT,
            kind TEXT NOT NULL CHECK (kind IN ('environment', 'manual-approval')),
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            reviewers_json TEXT NOT NULL,
            required INTEGER NOT NULL,
            prevent_self_review {bool} NOT NULL,
            initiator TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'expired')),
            requested_at {timestamp} NOT NULL,
            decided_at {timestamp},
            expires_at {timestamp}
        );
        CREATE UNIQUE INDEX approvals_one_per_environment ON approvals (run_id, run_attempt, environment) WHERE kind = 'environment';
        CREATE INDEX approvals_by_status ON approvals (status, id);

        CREATE TABLE approval_decisions (
            approval_id BIGINT NOT NULL REFERENCES approvals (id) ON DELETE CASCADE,
            user_name TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('approved', 'rejected')),
            comment TEXT,
            decided_at {timestamp} NOT NULL,
            PRIMARY KEY (approval_id, user_name)
        );

        CREATE TABLE releases (
            id {id},
            project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            service TEXT NOT NULL,
            version TEXT NOT NULL,
            artifact_digest TEXT NOT NULL,
            commit_sha TEXT NOT NULL,
            created_at {timestamp} NOT NULL,
            UNIQUE (project_id, service, version)
        );

        CREATE TABLE deployments (
            id {id},
            release_id BIGINT NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
            project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            service TEXT NOT NULL,
            environment TEXT NOT NULL,
            strategy TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'waiting', 'progressing', 'paused', 'succeeded', 'failed', 'rolled-back', 'cancelled')),
            reason TEXT,
            run_id BIGINT REFERENCES runs (id) ON DELETE SET NULL,
            job_key TEXT,
            created_at {timestamp} NOT NULL,
            started_at {timestamp},
            finished_at {timestamp},
            updated_at {timestamp} NOT NULL
        );
        CREATE UNIQUE INDEX deployments_one_active ON deployments (project_id, service, environment) WHERE status IN ('progressing', 'paused');
        CREATE INDEX deployments_by_environment ON deployments (project_id, environment, service, id);

        CREATE TABLE gate_decisions (
            id {id},
            deployment_id BIGINT REFERENCES deployments (id) ON DELETE CASCADE,
            approval_id BIGINT REFERENCES approvals (id) ON DELETE CASCADE,
            run_id BIGINT REFERENCES runs (id) ON DELETE CASCADE,
            job_key TEXT,
            gate TEXT NOT NULL,
            result TEXT NOT NULL CHECK (result IN ('pass', 'fail', 'pending')),
            reason TEXT NOT NULL,
            numbers_json TEXT,
            decided_at {timestamp} NOT NULL,
            CHECK (deployment_id IS NOT NULL OR approval_id IS NOT NULL OR run_id IS NOT NULL)
        );
        CREATE INDEX gate_decisions_by_deployment ON gate_decisions (deployment_id, id);
        CREATE INDEX gate_decisions_by_run ON gate_decisions (run_id, id);

        CREATE TABLE metric_snapshots (
            id {id},
            deployment_id BIGINT NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
            version TEXT NOT NULL,
            window_start {timestamp} NOT NULL,
            window_end {timestamp} NOT NULL,
            counts_json TEXT NOT NULL,
            taken_at {timestamp} NOT NULL
        );
        CREATE INDEX metric_snapshots_by_deployment ON metric_snapshots (deployment_id, id);

        CREATE TABLE users (
            id {id},
            name TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL CHECK (role IN ('viewer', 'developer', 'approver', 'admin')),
            environments_json TEXT NOT NULL,
            created_at {timestamp} NOT NULL,
            disabled_at {timestamp}
        );

        CREATE TABLE user_emails (
            email TEXT NOT NULL PRIMARY KEY,
            user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE
        );
        CREATE INDEX user_emails_by_user ON user_emails (user_id);

        CREATE TABLE api_tokens (
            id {id},
            user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            prefix TEXT NOT NULL,
            created_at {timestamp} NOT NULL,
            revoked_at {timestamp}
        );
        CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

        CREATE TABLE teams (
            id {id},
            name TEXT NOT NULL UNIQUE,
            created_at {timestamp} NOT NULL
        );

        CREATE TABLE team_members (
            team_id BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
            user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            PRIMARY KEY (team_id, user_id)
        );

        CREATE TABLE secrets (
            project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            environment TEXT NOT NULL,
            name TEXT NOT NULL,
            value {bytes} NOT NULL,
            updated_at {timestamp} NOT NULL,
            PRIMARY KEY (project_id, environment, name)
        );

        CREATE TABLE variables (
            project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            environment TEXT NOT NULL,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            updated_at {timestamp} NOT NULL,
            PRIMARY KEY (project_id, environment, name)
        );

        CREATE TABLE audit_log (
            sequence BIGINT NOT NULL PRIMARY KEY,
            at {timestamp} NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            reason TEXT,
            before_json TEXT,
            after_json TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );

        CREATE TABLE audit_head (
            id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
            sequence BIGINT NOT NULL,
            hash TEXT NOT NULL
        );
        INSERT INTO audit_head (id, sequence, hash) VALUES (1, 0, '');

        CREATE TABLE webhook_deliveries (
            delivery_id TEXT NOT NULL PRIMARY KEY,
            project_id BIGINT REFERENCES projects (id) ON DELETE SET NULL,
            event TEXT NOT NULL,
            signature_ok {bool} NOT NULL,
            received_at {timestamp} NOT NULL
        );

        CREATE TABLE schedule_fires (
            project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
            workflow_path TEXT NOT NULL,
            cron TEXT NOT NULL,
            fire_at {timestamp} NOT NULL,
            recorded_at {timestamp} NOT NULL,
            PRIMARY KEY (project_id, workflow_path, cron, fire_at)
        );
        """);
}
