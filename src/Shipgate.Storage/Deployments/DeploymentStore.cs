using System.Data.Common;
using Shipgate.Storage.Audit;
using Shipgate.Storage.Database;

namespace Shipgate.Storage.Deployments;

/// <summary>
/// Environments, releases, deployments and what gates decided about them. The database itself holds
/// at most one active (progressing or paused) deployment per (project, service, environment): a
/// transition that would make a second one active is refused, as a value, whichever server tries.
/// </summary>
public sealed class DeploymentStore
{
    private const string DeploymentColumns = "id, release_id, project_id, service, environment, strategy, status, reason, run_id, job_key, created_at, started_at, finished_at, updated_at, rules_sha, rules_tightened, previous_release_id, keep_previous_until, progress_json, decided_by";
    private const string EnvironmentColumns = "id, project_id, name, commit_sha, config_json, updated_at";
    private const string ReleaseColumns = "id, project_id, service, version, artifact_digest, commit_sha, created_at, committed_at";
    private const string GateColumns = "id, deployment_id, approval_id, run_id, job_key, gate, result, reason, numbers_json, decided_at";

    private readonly StoreDatabase _database;
    private readonly TimeProvider _time;
    private readonly AuditLog _audit;

    internal DeploymentStore(StoreDatabase database, TimeProvider time, AuditLog audit)
    {
        _database = database;
        _time = time;
        _audit = audit;
    }

    /// <summary>Records the environment's configuration as read from <c>shipgate.yml</c> at a commit (replacing the previous one).</summary>
    public Task<EnvironmentRecord> UpsertEnvironmentAsync(long projectId, string name, string commitSha, string configJson, NewAuditEntry? audit = null, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(async session =>
        {
            var record = await session.Sql($"""
                INSERT INTO environments (project_id, name, commit_sha, config_json, updated_at) VALUES (@project, @name, @sha, @config, @now)
                ON CONFLICT (project_id, name) DO UPDATE SET commit_sha = excluded.commit_sha, config_json = excluded.config_json, updated_at = excluded.updated_at
                RETURNING {EnvironmentColumns}
                """)
                .Add("@project", projectId)
                .Add("@name", name)
                .Add("@sha", commitSha)
                .Add("@config", configJson)
                .Add("@now", StoreClock.Now(_time))
                .FirstOrDefaultAsync(ReadEnvironment, cancellationToken).ConfigureAwait(false);
            await _audit.AppendIfAnyAsync(session, audit, cancellationToken).ConfigureAwait(false);
            return record!;
        }, cancellationToken);

    public Task<EnvironmentRecord?> GetEnvironmentAsync(long projectId, string name, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"SELECT {EnvironmentColumns} FROM environments WHERE project_id = @project AND name = @name")
            .Add("@project", projectId)
            .Add("@name", name)
            .FirstOrDefaultAsync(ReadEnvironment, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<EnvironmentRecord>> ListEnvironmentsAsync(long projectId, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"SELECT {EnvironmentColumns} FROM environments WHERE project_id = @project ORDER BY name")
            .Add("@project", projectId)
            .ListAsync(ReadEnvironment, cancellationToken), cancellationToken);

    /// <summary>
    /// Records a release, or returns the one recorded before with the same (project, service, version):
    /// releases are immutable, so compare its digest with the one you meant.
    /// </summary>
    public Task<ReleaseRecord> GetOrCreateReleaseAsync(NewRelease release, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(release);
        return _database.WriteAsync(async session =>
        {
            var created = await session.Sql($"""
                INSERT INTO releases (project_id, service, version, artifact_digest, commit_sha, created_at, committed_at)
                VALUES (@project, @service, @version, @digest, @sha, @now, @committed)
                ON CONFLICT (project_id, service, version) DO NOTHING
                RETURNING {ReleaseColumns}
                """)
                .Add("@project", release.ProjectId)
                .Add("@service", release.Service)
                .Add("@version", release.Version)
                .Add("@digest", release.ArtifactDigest)
                .Add("@sha", release.CommitSha)
                .Add("@now", StoreClock.Now(_time))
                .Add("@committed", release.CommittedAt)
                .FirstOrDefaultAsync(ReadRelease, cancellationToken).ConfigureAwait(false);
            if (created is not null)
            {
                return created;
            }

            // A job that entered an environment recorded its commit as a placeholder release of the project
            // ("git:SHA"); when the project and its service share a name, the deploy step's release of that commit is
            // the same (service, version): it gives the placeholder its artifact, once. A real release never changes.
            var claimed = await session.Sql($"""
                UPDATE releases SET artifact_digest = @digest, committed_at = COALESCE(committed_at, @committed)
                WHERE project_id = @project AND service = @service AND version = @version AND commit_sha = @sha AND artifact_digest = @placeholder
                RETURNING {ReleaseColumns}
                """)
                .Add("@project", release.ProjectId)
                .Add("@service", release.Service)
                .Add("@version", release.Version)
                .Add("@sha", release.CommitSha)
                .Add("@digest", release.ArtifactDigest)
                .Add("@placeholder", PlaceholderDigest(release.CommitSha))
                .Add("@committed", release.CommittedAt)
                .FirstOrDefaultAsync(ReadRelease, cancellationToken).ConfigureAwait(false);
            return claimed ?? (await SelectReleaseAsync(session, release.ProjectId, release.Service, release.Version, cancellationToken).ConfigureAwait(false))!;
        }, cancellationToken);
    }

    /// <summary>The artifact digest of a release that records only a commit (a job's entry into an environment): <c>git:SHA</c>.</summary>
    public static string PlaceholderDigest(string commitSha) => "git:" + commitSha;

    public Task<ReleaseRecord?> GetReleaseAsync(long releaseId, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"SELECT {ReleaseColumns} FROM releases WHERE id = @id").Add("@id", releaseId).FirstOrDefaultAsync(ReadRelease, cancellationToken), cancellationToken);

    /// <summary>The release (project, service, version), or null.</summary>
    public Task<ReleaseRecord?> FindReleaseAsync(long projectId, string service, string version, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => SelectReleaseAsync(session, projectId, service, version, cancellationToken), cancellationToken);

    private static Task<ReleaseRecord?> SelectReleaseAsync(DbSession session, long projectId, string service, string version, CancellationToken cancellationToken) =>
        session.Sql($"SELECT {ReleaseColumns} FROM releases WHERE project_id = @project AND service = @service AND version = @version")
            .Add("@project", projectId)
            .Add("@service", service)
            .Add("@version", version)
            .FirstOrDefaultAsync(ReadRelease, cancellationToken);

    /// <summary>Creates a pending deployment of a recorded release.</summary>
    public Task<DeploymentRecord> CreateDeploymentAsync(NewDeployment deployment, NewAuditEntry? audit = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return _database.WriteAsync(async session =>
        {
            var created = await session.Sql($"""
                INSERT INTO deployments (release_id, project_id, service, environment, strategy, status, run_id, job_key, created_at, updated_at, rules_sha, rules_tightened)
                SELECT id, project_id, service, @environment, @strategy, 'pending', @run, @job, @now, @now, @rulesSha, @rulesTightened FROM releases WHERE id = @release
                RETURNING {DeploymentColumns}
                """)
                .Add("@environment", deployment.Environment)
                .Add("@strategy", deployment.Strategy)
                .Add("@run", deployment.RunId)
                .Add("@job", deployment.JobKey)
                .Add("@now", StoreClock.Now(_time))
                .Add("@release", deployment.ReleaseId)
                .Add("@rulesSha", deployment.RulesSha)
                .Add("@rulesTightened", deployment.RulesTightened)
                .FirstOrDefaultAsync(ReadDeployment, cancellationToken).ConfigureAwait(false)
                ?? throw new ArgumentException($"Release {deployment.ReleaseId} does not exist.", nameof(deployment));
            await _audit.AppendIfAnyAsync(session, audit, cancellationToken).ConfigureAwait(false);
            return created;
        }, cancellationToken);
    }

    public Task<DeploymentRecord?> GetDeploymentAsync(long deploymentId, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"SELECT {DeploymentColumns} FROM deployments WHERE id = @id").Add("@id", deploymentId).FirstOrDefaultAsync(ReadDeployment, cancellationToken), cancellationToken);

    /// <summary>The project's deployments, newest first, optionally of one environment.</summary>
    public Task<IReadOnlyList<DeploymentRecord>> ListDeploymentsAsync(long projectId, string? environment = null, int limit = 100, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"SELECT {DeploymentColumns} FROM deployments WHERE project_id = @project{(environment is null ? "" : " AND environment = @environment")} ORDER BY id DESC LIMIT @limit")
            .Add("@project", projectId)
            .AddIf(environment is not null, "@environment", environment)
            .Add("@limit", Math.Clamp(limit, 1, 1000))
            .ListAsync(ReadDeployment, cancellationToken), cancellationToken);

    /// <summary>The project's deployments that have not finished (pending, waiting, progressing, paused), oldest first: queued and active ones.</summary>
    public Task<IReadOnlyList<DeploymentRecord>> ListUnfinishedDeploymentsAsync(long projectId, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"SELECT {DeploymentColumns} FROM deployments WHERE project_id = @project AND status IN ('pending', 'waiting', 'progressing', 'paused') ORDER BY id")
            .Add("@project", projectId)
            .ListAsync(ReadDeployment, cancellationToken), cancellationToken);

    /// <summary>The active (progressing or paused) deployment of the service to the environment, or null.</summary>
    public Task<DeploymentRecord?> GetActiveDeploymentAsync(long projectId, string service, string environment, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"SELECT {DeploymentColumns} FROM deployments WHERE project_id = @project AND service = @service AND environment = @environment AND status IN ('progressing', 'paused')")
            .Add("@project", projectId)
            .Add("@service", service)
            .Add("@environment", environment)
            .FirstOrDefaultAsync(ReadDeployment, cancellationToken), cancellationToken);

    /// <summary>Each (service, environment) of the project with the release its latest succeeded deployment brought.</summary>
    public Task<IReadOnlyList<CurrentRelease>> ListCurrentReleasesAsync(long projectId, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql("""
            SELECT d.service, d.environment, r.id, r.project_id, r.service, r.version, r.artifact_digest, r.commit_sha, r.created_at, d.id, d.finished_at,
                r.committed_at
            FROM deployments d JOIN releases r ON r.id = d.release_id
            WHERE d.project_id = @project AND d.id IN (
                SELECT MAX(id) FROM deployments WHERE project_id = @project AND status = 'succeeded' GROUP BY service, environment)
            ORDER BY d.service, d.environment
            """)
            .Add("@project", projectId)
            .ListAsync(row => new CurrentRelease(
                row.String(0),
                row.String(1),
                new ReleaseRecord(row.Int64(2), row.Int64(3), row.String(4), row.String(5), row.String(6), row.String(7), row.Time(8))
                {
                    CommittedAt = row.NullableTime(11),
                },
                row.Int64(9),
                row.NullableTime(10) ?? row.Time(8)), cancellationToken), cancellationToken);

    /// <summary>
    /// Moves a deployment from <paramref name="expected"/> to <paramref name="next"/> with its audit
    /// entry. Refused (nothing changes) when it is not in the expected state, or when becoming active
    /// would make it the second active deployment of its service in its environment.
    /// </summary>
    public async Task<DeploymentTransition> TryTransitionAsync(long deploymentId, DeploymentStatus expected, DeploymentStatus next, string? reason = null, NewAuditEntry? audit = null, CancellationToken cancellationToken = default)
    {
        var terminal = next is DeploymentStatus.Succeeded or DeploymentStatus.Failed or DeploymentStatus.RolledBack or DeploymentStatus.Cancelled;
        try
        {
            var changed = await _audit.WriteAuditedAsync(async session => await session.Sql($"""
                UPDATE deployments SET status = @next, reason = COALESCE(@reason, reason), updated_at = @now,
                    started_at = {(next == DeploymentStatus.Progressing ? "COALESCE(started_at, @now)" : "started_at")},
                    finished_at = {(terminal ? "@now" : "finished_at")}
                WHERE id = @id AND status = @expected
                """)
                .Add("@next", DbText.Of(next))
                .Add("@reason", reason)
                .Add("@now", StoreClock.Now(_time))
                .Add("@id", deploymentId)
                .Add("@expected", DbText.Of(expected))
                .ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1, audit, cancellationToken).ConfigureAwait(false);
            return changed ? DeploymentTransition.Applied : DeploymentTransition.NotInExpectedState;
        }
        catch (DbException exception) when (_database.Dialect.IsUniqueViolation(exception))
        {
            return DeploymentTransition.BlockedByActiveDeployment;
        }
    }

    /// <summary>
    /// Makes deployment <paramref name="deploymentId"/> the deployment of <paramref name="releaseId"/> (its service
    /// with it) by <paramref name="strategy"/>: a job's record of entering an environment becomes the record of the
    /// service its deploy step deploys. Refused as <see cref="DeploymentTransition.BlockedByActiveDeployment"/> while
    /// another deployment of that service to the environment is active.
    /// </summary>
    public async Task<DeploymentTransition> RetargetDeploymentAsync(long deploymentId, long releaseId, string strategy, NewAuditEntry? audit = null, CancellationToken cancellationToken = default)
    {
        try
        {
            var changed = await _audit.WriteAuditedAsync(async session => await session.Sql("""
                UPDATE deployments SET release_id = @release, service = (SELECT service FROM releases WHERE id = @release), strategy = @strategy, updated_at = @now
                WHERE id = @id AND status IN ('progressing', 'paused') AND project_id = (SELECT project_id FROM releases WHERE id = @release)
                """)
                .Add("@release", releaseId)
                .Add("@strategy", strategy)
                .Add("@now", StoreClock.Now(_time))
                .Add("@id", deploymentId)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1, audit, cancellationToken).ConfigureAwait(false);
            return changed ? DeploymentTransition.Applied : DeploymentTransition.NotInExpectedState;
        }
        catch (DbException exception) when (_database.Dialect.IsUniqueViolation(exception))
        {
            return DeploymentTransition.BlockedByActiveDeployment;
        }
    }

    /// <summary>
    /// Ends an active deployment with what its strategy did, in one transaction: the status and reason, each step,
    /// the previous release, the keep-warm due time and the metric snapshots, with <paramref name="audit"/>.
    /// False (nothing written) when it is no longer active.
    /// </summary>
    public Task<bool> CompleteDeploymentAsync(long deploymentId, DeploymentOutcome outcome, NewAuditEntry? audit = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return _audit.WriteAuditedAsync(async session =>
        {
            var now = StoreClock.Now(_time);
            var changed = await session.Sql("""
                UPDATE deployments SET status = @status, reason = @reason, finished_at = @now, updated_at = @now,
                    previous_release_id = @previous, keep_previous_until = @keep
                WHERE id = @id AND status IN ('progressing', 'paused')
                """)
                .Add("@status", DbText.Of(outcome.Status))
                .Add("@reason", outcome.Reason)
                .Add("@now", now)
                .Add("@previous", outcome.PreviousReleaseId)
                .Add("@keep", outcome.KeepPreviousUntil)
                .Add("@id", deploymentId)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
            if (!changed)
            {
                return false;
            }

            foreach (var step in outcome.Steps)
            {
                await session.Sql("INSERT INTO deployment_steps (deployment_id, name, started_at, finished_at, outcome, message) VALUES (@id, @name, @start, @end, @outcome, @message)")
                    .Add("@id", deploymentId)
                    .Add("@name", step.Name)
                    .Add("@start", step.StartedAt)
                    .Add("@end", step.FinishedAt)
                    .Add("@outcome", step.Outcome)
                    .Add("@message", step.Message)
                    .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var snapshot in outcome.Snapshots)
            {
                await session.Sql("""
                    INSERT INTO metric_snapshots (deployment_id, version, window_start, window_end, counts_json, taken_at)
                    VALUES (@deployment, @version, @start, @end, @counts, @now)
                    """)
                    .Add("@deployment", deploymentId)
                    .Add("@version", snapshot.Version)
                    .Add("@start", snapshot.WindowStart)
                    .Add("@end", snapshot.WindowEnd)
                    .Add("@counts", snapshot.CountsJson)
                    .Add("@now", now)
                    .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }

            return true;
        }, audit, cancellationToken);
    }

    /// <summary>
    /// Records a verb for an active (progressing or paused) deployment, with its audit entry, for the rollout to take
    /// at its next look. Refused as a value when the deployment is not active, or when the same verb waits untaken.
    /// </summary>
    public async Task<CommandOutcome> GiveCommandAsync(long deploymentId, string verb, string actor, NewAuditEntry? audit = null, CancellationToken cancellationToken = default)
    {
        try
        {
            var given = await _audit.WriteAuditedAsync(async session => await session.Sql("""
                INSERT INTO deployment_commands (deployment_id, verb, actor, given_at)
                SELECT id, @verb, @actor, @now FROM deployments WHERE id = @id AND status IN ('progressing', 'paused')
                """)
                .Add("@verb", verb)
                .Add("@actor", actor)
                .Add("@now", StoreClock.Now(_time))
                .Add("@id", deploymentId)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1, audit, cancellationToken).ConfigureAwait(false);
            return given ? CommandOutcome.Given : CommandOutcome.NotActive;
        }
        catch (DbException exception) when (_database.Dialect.IsUniqueViolation(exception))
        {
            return CommandOutcome.Duplicate;
        }
    }

    /// <summary>Takes the oldest verb waiting for the deployment (so it acts once), or null.</summary>
    public async Task<DeploymentCommand?> TakeCommandAsync(long deploymentId, CancellationToken cancellationToken = default)
    {
        // A rollout asks at every look; only a verb that waits costs a write.
        var waiting = await _database.ReadAsync(session => SelectCommandAsync(session, deploymentId, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (waiting is null)
        {
            return null;
        }

        return await _database.WriteAsync(async session =>
        {
            var command = await SelectCommandAsync(session, deploymentId, cancellationToken).ConfigureAwait(false);
            if (command is not null)
            {
                await session.Sql("UPDATE deployment_commands SET taken_at = @now WHERE id = @id")
                    .Add("@now", StoreClock.Now(_time))
                    .Add("@id", command.Id)
                    .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }

            return command;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static Task<DeploymentCommand?> SelectCommandAsync(DbSession session, long deploymentId, CancellationToken cancellationToken) =>
        session.Sql("SELECT id, deployment_id, verb, actor, given_at FROM deployment_commands WHERE deployment_id = @id AND taken_at IS NULL ORDER BY id LIMIT 1")
            .Add("@id", deploymentId)
            .FirstOrDefaultAsync(row => new DeploymentCommand(row.Int64(0), row.Int64(1), row.String(2), row.String(3), row.Time(4)), cancellationToken);

    /// <summary>
    /// Publishes an active deployment's progress (JSON, shown by the API) and moves it between progressing and paused
    /// (<paramref name="paused"/>: it waits for a person). False when it is no longer active.
    /// </summary>
    public Task<bool> UpdateProgressAsync(long deploymentId, string progressJson, bool paused, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(async session => await session.Sql("""
            UPDATE deployments SET progress_json = @progress, status = @status, updated_at = @now
            WHERE id = @id AND status IN ('progressing', 'paused')
            """)
            .Add("@progress", progressJson)
            .Add("@status", DbText.Of(paused ? DeploymentStatus.Paused : DeploymentStatus.Progressing))
            .Add("@now", StoreClock.Now(_time))
            .Add("@id", deploymentId)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1, cancellationToken);

    /// <summary>Records which mode decided the deployment: <c>delivery: approved by alice</c>, <c>deployment: the automated gates</c>.</summary>
    public Task SetDecidedByAsync(long deploymentId, string decidedBy, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(session => session.Sql("UPDATE deployments SET decided_by = @decided WHERE id = @id")
            .Add("@decided", decidedBy)
            .Add("@id", deploymentId)
            .ExecuteAsync(cancellationToken), cancellationToken);

    /// <summary>A deployment's strategy steps, in order.</summary>
    public Task<IReadOnlyList<DeploymentStepRecord>> ListDeploymentStepsAsync(long deploymentId, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql("SELECT name, started_at, finished_at, outcome, message FROM deployment_steps WHERE deployment_id = @id ORDER BY id")
            .Add("@id", deploymentId)
            .ListAsync(row => new DeploymentStepRecord(row.String(0), row.Time(1), row.Time(2), row.String(3), row.String(4)), cancellationToken), cancellationToken);

    /// <summary>Deployments (of every project) whose previous release is kept warm until a time at or before <paramref name="now"/>.</summary>
    public Task<IReadOnlyList<DeploymentRecord>> ListKeepWarmDueAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"SELECT {DeploymentColumns} FROM deployments WHERE keep_previous_until IS NOT NULL AND keep_previous_until <= @now ORDER BY id")
            .Add("@now", now)
            .ListAsync(ReadDeployment, cancellationToken), cancellationToken);

    /// <summary>Marks the previous release of a deployment as no longer kept warm (stopped, or replaced by a later deployment).</summary>
    public Task ClearKeepPreviousAsync(long deploymentId, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(session => session.Sql("UPDATE deployments SET keep_previous_until = NULL WHERE id = @id").Add("@id", deploymentId).ExecuteAsync(cancellationToken), cancellationToken);

    public Task<GateDecisionRecord> RecordGateDecisionAsync(NewGateDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.DeploymentId is null && decision.ApprovalId is null && decision.RunId is null)
        {
            throw new ArgumentException("A gate decision is about a deployment, an approval or a run.", nameof(decision));
        }

        return _database.WriteAsync(async session => (await session.Sql($"""
            INSERT INTO gate_decisions (deployment_id, approval_id, run_id, job_key, gate, result, reason, numbers_json, decided_at)
            VALUES (@deployment, @approval, @run, @job, @gate, @result, @reason, @numbers, @now)
            RETURNING {GateColumns}
            """)
            .Add("@deployment", decision.DeploymentId)
            .Add("@approval", decision.ApprovalId)
            .Add("@run", decision.RunId)
            .Add("@job", decision.JobKey)
            .Add("@gate", decision.Gate)
            .Add("@result", DbText.Of(decision.Result))
            .Add("@reason", decision.Reason)
            .Add("@numbers", decision.NumbersJson)
            .Add("@now", StoreClock.Now(_time))
            .FirstOrDefaultAsync(ReadGate, cancellationToken).ConfigureAwait(false))!, cancellationToken);
    }

    /// <summary>The gate decisions about a deployment, in order.</summary>
    public Task<IReadOnlyList<GateDecisionRecord>> ListGateDecisionsForDeploymentAsync(long deploymentId, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"SELECT {GateColumns} FROM gate_decisions WHERE deployment_id = @id ORDER BY id").Add("@id", deploymentId).ListAsync(ReadGate, cancellationToken), cancellationToken);

    /// <summary>The gate decisions about a run's jobs, in order.</summary>
    public Task<IReadOnlyList<GateDecisionRecord>> ListGateDecisionsForRunAsync(long runId, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"SELECT {GateColumns} FROM gate_decisions WHERE run_id = @id ORDER BY id").Add("@id", runId).ListAsync(ReadGate, cancellationToken), cancellationToken);

    public Task<MetricSnapshotRecord> RecordMetricSnapshotAsync(NewMetricSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return _database.WriteAsync(async session => (await session.Sql("""
            INSERT INTO metric_snapshots (deployment_id, version, window_start, window_end, counts_json, taken_at)
            VALUES (@deployment, @version, @start, @end, @counts, @now)
            RETURNING id, deployment_id, version, window_start, window_end, counts_json, taken_at
            """)
            .Add("@deployment", snapshot.DeploymentId)
            .Add("@version", snapshot.Version)
            .Add("@start", snapshot.WindowStart)
            .Add("@end", snapshot.WindowEnd)
            .Add("@counts", snapshot.CountsJson)
            .Add("@now", StoreClock.Now(_time))
            .FirstOrDefaultAsync(ReadSnapshot, cancellationToken).ConfigureAwait(false))!, cancellationToken);
    }

    public Task<IReadOnlyList<MetricSnapshotRecord>> ListMetricSnapshotsAsync(long deploymentId, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql("SELECT id, deployment_id, version, window_start, window_end, counts_json, taken_at FROM metric_snapshots WHERE deployment_id = @id ORDER BY id")
            .Add("@id", deploymentId)
            .ListAsync(ReadSnapshot, cancellationToken), cancellationToken);

    private static EnvironmentRecord ReadEnvironment(Row row) => new(row.Int64(0), row.Int64(1), row.String(2), row.String(3), row.String(4), row.Time(5));

    private static ReleaseRecord ReadRelease(Row row) =>
        new(row.Int64(0), row.Int64(1), row.String(2), row.String(3), row.String(4), row.String(5), row.Time(6)) { CommittedAt = row.NullableTime(7) };

    private static DeploymentRecord ReadDeployment(Row row) => new(
        row.Int64(0),
        row.Int64(1),
        row.Int64(2),
        row.String(3),
        row.String(4),
        row.String(5),
        DbText.ToDeploymentStatus(row.String(6)),
        row.NullableString(7),
        row.NullableInt64(8),
        row.NullableString(9),
        row.Time(10),
        row.NullableTime(11),
        row.NullableTime(12),
        row.Time(13))
    {
        RulesSha = row.NullableString(14),
        RulesTightened = row.NullableString(15),
        PreviousReleaseId = row.NullableInt64(16),
        KeepPreviousUntil = row.NullableTime(17),
        ProgressJson = row.NullableString(18),
        DecidedBy = row.NullableString(19),
    };

    private static GateDecisionRecord ReadGate(Row row) => new(
        row.Int64(0),
        row.NullableInt64(1),
        row.NullableInt64(2),
        row.NullableInt64(3),
        row.NullableString(4),
        row.String(5),
        DbText.ToGateResult(row.String(6)),
        row.String(7),
        row.NullableString(8),
        row.Time(9));

    private static MetricSnapshotRecord ReadSnapshot(Row row) => new(row.Int64(0), row.Int64(1), row.String(2), row.Time(3), row.Time(4), row.String(5), row.Time(6));
}
