using System.Text;
using Shipgate.Engine.Runs;
using Shipgate.Storage.Audit;
using Shipgate.Storage.Database;

namespace Shipgate.Storage.Runs;

/// <summary>
/// Runs, their jobs and steps, their append-only event stream and their artifacts. State changes are
/// compare-and-set on the status and return whether they happened. The engine's events are recorded
/// through <see cref="RunEventRecorder"/>.
/// </summary>
public sealed class RunStore
{
    private readonly StoreDatabase _database;
    private readonly TimeProvider _time;
    private readonly AuditLog _audit;

    internal RunStore(StoreDatabase database, TimeProvider time, AuditLog audit)
    {
        _database = database;
        _time = time;
        _audit = audit;
    }

    /// <summary>Queues a run: status queued, attempt 1, the workflow's next run number (see <see cref="QueueRunAsync(NewRun, CancellationToken)"/>).</summary>
    public async Task<RunRecord> CreateRunAsync(NewRun run, CancellationToken cancellationToken = default) =>
        (await QueueRunAsync(run, cancellationToken).ConfigureAwait(false)).Run;

    /// <summary>
    /// Queues a run: status queued, attempt 1, the workflow's next run number. A run with a concurrency
    /// group applies GitHub's rules in the same transaction: at most one running and one pending per
    /// group (per project, ignoring case), so the group's older pending run is cancelled (completed,
    /// cancelled, with GitHub's reason and a run.finished event). With nothing running, the group's
    /// oldest queued run is the one about to start and is kept. With cancel-in-progress, the running
    /// runs are marked for cancelling and returned, for the host to cancel.
    /// </summary>
    public Task<QueuedRun> QueueRunAsync(NewRun run, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(session => QueueRunAsync(session, run, cancellationToken), cancellationToken);

    /// <summary><see cref="QueueRunAsync(NewRun, CancellationToken)"/> in the caller's transaction.</summary>
    internal async Task<QueuedRun> QueueRunAsync(DbSession session, NewRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var key = ConcurrencyKey(run.ProjectId, run.ConcurrencyGroup);
        if (key is not null && session.Dialect.ConcurrencyLock is { } concurrencyLock)
        {
            await session.Sql(concurrencyLock).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }

        var number = await session.Sql("""
            INSERT INTO run_counters (project_id, workflow_path, last_number) VALUES (@project, @workflow, 1)
            ON CONFLICT (project_id, workflow_path) DO UPDATE SET last_number = run_counters.last_number + 1
            RETURNING last_number
            """)
            .Add("@project", run.ProjectId)
            .Add("@workflow", run.WorkflowPath)
            .Int64Async(cancellationToken).ConfigureAwait(false);
        var created = (await session.Sql($"""
            INSERT INTO runs (project_id, workflow_path, workflow_name, run_number, attempt, event, ref, sha, actor, initiator, inputs_json, concurrency_group, concurrency_key, status, created_at)
            VALUES (@project, @workflow, @name, @number, 1, @event, @ref, @sha, @actor, @initiator, @inputs, @group, @key, 'queued', @now)
            RETURNING {RunRows.RunColumns}
            """)
            .Add("@project", run.ProjectId)
            .Add("@workflow", run.WorkflowPath)
            .Add("@name", run.WorkflowName)
            .Add("@number", number)
            .Add("@event", run.Event)
            .Add("@ref", run.Ref)
            .Add("@sha", run.Sha)
            .Add("@actor", run.Actor)
            .Add("@initiator", run.Initiator ?? run.Actor)
            .Add("@inputs", JsonText.FromMap(run.Inputs))
            .Add("@group", run.ConcurrencyGroup)
            .Add("@key", key)
            .Add("@now", StoreClock.Now(_time))
            .FirstOrDefaultAsync(RunRows.Run, cancellationToken).ConfigureAwait(false))!;
        return key is null
            ? new QueuedRun(created, [], [])
            : await ApplyConcurrencyAsync(session, created, key, run.CancelInProgress, cancellationToken).ConfigureAwait(false);
    }

    public Task<RunRecord?> GetRunAsync(long runId, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"SELECT {RunRows.RunColumns} FROM runs WHERE id = @id").Add("@id", runId).FirstOrDefaultAsync(RunRows.Run, cancellationToken), cancellationToken);

    /// <summary>Runs newest first, filtered and paged by <paramref name="query"/>.</summary>
    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new RunQuery();
        var sql = new StringBuilder($"SELECT {RunRows.RunColumns} FROM runs WHERE id < @before");
        if (query.ProjectId is not null)
        {
            sql.Append(" AND project_id = @project");
        }

        if (query.Status is not null)
        {
            sql.Append(" AND status = @status");
        }

        if (query.ConcurrencyGroup is not null)
        {
            sql.Append(" AND concurrency_group = @group");
        }

        if (query.Sha is not null)
        {
            sql.Append(" AND sha = @sha");
        }

        sql.Append(" ORDER BY id DESC LIMIT @limit");
        return _database.ReadAsync(session => session.Sql(sql.ToString())
            .Add("@before", query.BeforeId ?? long.MaxValue)
            .Add("@limit", Math.Clamp(query.Limit, 1, 1000))
            .AddIf(query.ProjectId is not null, "@project", query.ProjectId)
            .AddIf(query.Status is not null, "@status", query.Status is { } status ? DbText.Of(status) : null)
            .AddIf(query.ConcurrencyGroup is not null, "@group", query.ConcurrencyGroup)
            .AddIf(query.Sha is not null, "@sha", query.Sha)
            .ListAsync(RunRows.Run, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Moves a run from <paramref name="expected"/> to <paramref name="next"/> (not to completed: use
    /// <see cref="TryCompleteRunAsync"/>); false when the run is not in the expected state.
    /// </summary>
    public Task<bool> TryTransitionRunAsync(long runId, RunStatus expected, RunStatus next, CancellationToken cancellationToken = default) =>
        TransitionAsync("runs", runId, expected, next, cancellationToken);

    /// <summary>Completes a run that is in <paramref name="expected"/> state and releases its lease; false when it is not.</summary>
    public Task<bool> TryCompleteRunAsync(long runId, RunStatus expected, Conclusion conclusion, string? reason = null, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(session => CompleteRunAsync(session, runId, [expected], conclusion, reason, cancellationToken), cancellationToken);

    /// <summary>
    /// Appends an event to the run's stream and returns its sequence number (the run's next, from 1,
    /// without gaps). The server appends its own events here too (approvals, deployments).
    /// </summary>
    public Task<long> AppendEventAsync(long runId, string kind, string payloadJson, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(session => AppendEventAsync(session, runId, kind, payloadJson, cancellationToken), cancellationToken);

    /// <summary>The run's events after <paramref name="afterSequence"/>, in order, at most <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<RunEventRecord>> ListEventsAsync(long runId, long afterSequence = 0, int limit = 1000, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql("SELECT run_id, sequence, kind, payload_json, at FROM run_events WHERE run_id = @run AND sequence > @after ORDER BY sequence LIMIT @limit")
            .Add("@run", runId)
            .Add("@after", afterSequence)
            .Add("@limit", Math.Clamp(limit, 1, 10_000))
            .ListAsync(row => new RunEventRecord(row.Int64(0), row.Int64(1), row.String(2), row.String(3), row.Time(4)), cancellationToken), cancellationToken);

    /// <summary>Queues a job of a run for a runner to claim (<see cref="WorkQueue.ClaimNextJobAsync"/>); null when the run already has a job with that key.</summary>
    public Task<JobRecord?> AddJobAsync(NewJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        return _database.WriteAsync(session => session.Sql($"""
            INSERT INTO jobs (run_id, job_key, job_id, name, status, environment, matrix_json, attempt, created_at)
            VALUES (@run, @key, @job, @name, 'queued', @environment, @matrix, 1, @now)
            ON CONFLICT (run_id, job_key) DO NOTHING
            RETURNING {RunRows.JobColumns}
            """)
            .Add("@run", job.RunId)
            .Add("@key", job.Key)
            .Add("@job", job.JobId)
            .Add("@name", job.Name)
            .Add("@environment", job.Environment)
            .Add("@matrix", job.MatrixJson)
            .Add("@now", StoreClock.Now(_time))
            .FirstOrDefaultAsync(RunRows.Job, cancellationToken), cancellationToken);
    }

    public Task<JobRecord?> GetJobAsync(long jobId, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"SELECT {RunRows.JobColumns} FROM jobs WHERE id = @id").Add("@id", jobId).FirstOrDefaultAsync(RunRows.Job, cancellationToken), cancellationToken);

    public Task<JobRecord?> GetJobAsync(long runId, string key, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"SELECT {RunRows.JobColumns} FROM jobs WHERE run_id = @run AND job_key = @key").Add("@run", runId).Add("@key", key).FirstOrDefaultAsync(RunRows.Job, cancellationToken), cancellationToken);

    /// <summary>The run's jobs in the order they were created.</summary>
    public Task<IReadOnlyList<JobRecord>> ListJobsAsync(long runId, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"SELECT {RunRows.JobColumns} FROM jobs WHERE run_id = @run ORDER BY id").Add("@run", runId).ListAsync(RunRows.Job, cancellationToken), cancellationToken);

    /// <summary>Moves a job from <paramref name="expected"/> to <paramref name="next"/> (not to completed); false when it is not in the expected state.</summary>
    public Task<bool> TryTransitionJobAsync(long jobId, RunStatus expected, RunStatus next, CancellationToken cancellationToken = default) =>
        TransitionAsync("jobs", jobId, expected, next, cancellationToken);

    /// <summary>Completes a job that is in <paramref name="expected"/> state and releases its lease; false when it is not.</summary>
    public Task<bool> TryCompleteJobAsync(long jobId, RunStatus expected, JobCompletion completion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completion);
        return _database.WriteAsync(async session => await session.Sql("""
            UPDATE jobs SET status = 'completed', conclusion = @conclusion, outcome = @outcome, reason = @reason, outputs_json = @outputs,
                finished_at = @now, lease_owner = NULL, lease_expires_at = NULL
            WHERE id = @id AND status = @expected
            """)
            .Add("@conclusion", DbText.Of(completion.Conclusion))
            .Add("@outcome", DbText.Of(completion.Outcome))
            .Add("@reason", completion.Reason)
            .Add("@outputs", JsonText.FromMap(completion.Outputs))
            .Add("@now", StoreClock.Now(_time))
            .Add("@id", jobId)
            .Add("@expected", DbText.Of(expected))
            .ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1, cancellationToken);
    }

    /// <summary>The job's steps by number.</summary>
    public Task<IReadOnlyList<StepRecord>> ListStepsAsync(long jobId, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql($"SELECT {RunRows.StepColumns} FROM steps WHERE job_id = @job ORDER BY number").Add("@job", jobId).ListAsync(RunRows.Step, cancellationToken), cancellationToken);

    /// <summary>Records an artifact the run uploaded (a second upload of the name replaces the record; the old content stays addressable by digest).</summary>
    public Task RecordArtifactAsync(long runId, string name, string digest, long size, string jobKey, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(session => session.Sql("""
            INSERT INTO artifacts (run_id, name, digest, size, job_key, created_at) VALUES (@run, @name, @digest, @size, @job, @now)
            ON CONFLICT (run_id, name) DO UPDATE SET digest = excluded.digest, size = excluded.size, job_key = excluded.job_key, created_at = excluded.created_at
            """)
            .Add("@run", runId)
            .Add("@name", name)
            .Add("@digest", digest)
            .Add("@size", size)
            .Add("@job", jobKey)
            .Add("@now", StoreClock.Now(_time))
            .ExecuteAsync(cancellationToken), cancellationToken);

    public Task<IReadOnlyList<ArtifactRecord>> ListArtifactsAsync(long runId, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql("SELECT run_id, name, digest, size, job_key, created_at FROM artifacts WHERE run_id = @run ORDER BY name")
            .Add("@run", runId)
            .ListAsync(row => new ArtifactRecord(row.Int64(0), row.String(1), row.String(2), row.Int64(3), row.String(4), row.Time(5)), cancellationToken), cancellationToken);

    /// <summary>
    /// An observer for the engine that records its events for the stored run <paramref name="runId"/>
    /// (<paramref name="runner"/> names the runner on each job; output lines are recorded only when asked).
    /// </summary>
    public RunEventRecorder CreateRecorder(long runId, string? runner = null, bool recordOutputLines = false) =>
        new(_database, this, _time, runId, runner, recordOutputLines);

    private Task<bool> TransitionAsync(string table, long id, RunStatus expected, RunStatus next, CancellationToken cancellationToken)
    {
        if (next == RunStatus.Completed)
        {
            throw new ArgumentException("Completing takes a conclusion: use TryCompleteRunAsync or TryCompleteJobAsync.", nameof(next));
        }

        return _database.WriteAsync(async session => await session.Sql($"""
            UPDATE {table} SET status = @next, started_at = CASE WHEN @next = 'in_progress' THEN COALESCE(started_at, @now) ELSE started_at END
            WHERE id = @id AND status = @expected
            """)
            .Add("@next", DbText.Of(next))
            .Add("@now", StoreClock.Now(_time))
            .Add("@id", id)
            .Add("@expected", DbText.Of(expected))
            .ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1, cancellationToken);
    }

    /// <summary>The value runs of one concurrency group share: the project and the group, lower-cased (GitHub's groups ignore case).</summary>
    internal static string? ConcurrencyKey(long projectId, string? group) =>
        string.IsNullOrEmpty(group) ? null : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{projectId}:{group.ToLowerInvariant()}");

    /// <summary>The runs <paramref name="leaseOwner"/> holds that a cancel-in-progress (perhaps from another server) asked to cancel, with the reason.</summary>
    public Task<IReadOnlyList<(long RunId, string Reason)>> ListCancelRequestsAsync(string leaseOwner, CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql("SELECT id, cancel_requested FROM runs WHERE cancel_requested IS NOT NULL AND lease_owner = @owner AND status IN ('in_progress', 'waiting')")
            .Add("@owner", leaseOwner)
            .ListAsync(row => (row.Int64(0), row.String(1)), cancellationToken), cancellationToken);

    private async Task<QueuedRun> ApplyConcurrencyAsync(DbSession session, RunRecord created, string key, bool cancelInProgress, CancellationToken cancellationToken)
    {
        var others = await session.Sql("SELECT id, status FROM runs WHERE concurrency_key = @key AND status IN ('queued', 'in_progress', 'waiting') AND id <> @id ORDER BY id")
            .Add("@key", key)
            .Add("@id", created.Id)
            .ListAsync(row => (Id: row.Int64(0), Status: DbText.ToRunStatus(row.String(1))), cancellationToken).ConfigureAwait(false);
        var running = others.Where(o => o.Status != RunStatus.Queued).Select(o => o.Id).ToList();
        var queued = others.Where(o => o.Status == RunStatus.Queued).Select(o => o.Id).ToList();

        // With nothing running, the oldest queued run is the one about to start: it counts as running.
        var replace = running.Count == 0 && !cancelInProgress ? queued.Skip(1) : queued;
        var reason = QueuedRun.CancelReason(created.ConcurrencyGroup!);
        var payload = JsonText.FromMap(new Dictionary<string, string> { ["conclusion"] = "cancelled", ["reason"] = reason });
        var replaced = new List<long>();
        foreach (var id in replace)
        {
            if (await CompleteRunAsync(session, id, [RunStatus.Queued], Conclusion.Cancelled, reason, cancellationToken).ConfigureAwait(false))
            {
                await AppendEventAsync(session, id, "run.finished", payload, cancellationToken).ConfigureAwait(false);
                replaced.Add(id);
            }
        }

        if (!cancelInProgress || running.Count == 0)
        {
            return new QueuedRun(created, replaced, []);
        }

        foreach (var id in running)
        {
            await session.Sql("UPDATE runs SET cancel_requested = @reason WHERE id = @id AND cancel_requested IS NULL")
                .Add("@reason", reason)
                .Add("@id", id)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }

        return new QueuedRun(created, replaced, running);
    }

    internal async Task<bool> CompleteRunAsync(DbSession session, long runId, RunStatus[] expected, Conclusion conclusion, string? reason, CancellationToken cancellationToken)
    {
        var now = StoreClock.Now(_time);
        var command = session.Sql($"""
            UPDATE runs SET status = 'completed', conclusion = @conclusion, reason = @reason, finished_at = @now, lease_owner = NULL, lease_expires_at = NULL
            WHERE id = @id AND status IN ({string.Join(", ", expected.Select((_, i) => $"@expected{i}"))})
            """)
            .Add("@conclusion", DbText.Of(conclusion))
            .Add("@reason", reason)
            .Add("@now", now)
            .Add("@id", runId);
        for (var i = 0; i < expected.Length; i++)
        {
            command.Add($"@expected{i}", DbText.Of(expected[i]));
        }

        if (await command.ExecuteAsync(cancellationToken).ConfigureAwait(false) != 1)
        {
            return false;
        }

        // A run queued again after its server died may end before it resumes (cancelled while queued): the
        // jobs it had left waiting at their gates end with it.
        await session.Sql("""
            UPDATE jobs SET status = 'completed', conclusion = @conclusion, outcome = @conclusion, reason = @reason, finished_at = @now, lease_owner = NULL, lease_expires_at = NULL
            WHERE run_id = @id AND status IN ('in_progress', 'waiting')
            """)
            .Add("@conclusion", DbText.Of(conclusion))
            .Add("@reason", reason)
            .Add("@now", now)
            .Add("@id", runId)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        await EndOpenApprovalsAsync(session, runId, conclusion, now, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// An approval does not outlive its run: the pending approvals of a run that completes end <c>cancelled</c>
    /// in the same transaction, each audited (<c>approval.cancel</c>) and streamed (<c>approval.cancelled</c>,
    /// which notifies nobody), so none can be decided afterwards.
    /// </summary>
    internal async Task EndOpenApprovalsAsync(
        DbSession session, long runId, Conclusion conclusion, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ended = await session.Sql("""
            UPDATE approvals SET status = 'cancelled', decided_at = @now WHERE run_id = @run AND status = 'pending'
            RETURNING id, environment, job_key, title
            """)
            .Add("@now", now)
            .Add("@run", runId)
            .ListAsync(
                row => (Id: row.Int64(0), Environment: row.NullableString(1), JobKey: row.NullableString(2), Title: row.String(3)),
                cancellationToken).ConfigureAwait(false);
        var reason = $"Its run ended ({DbText.Of(conclusion)}) before it was decided.";
        foreach (var approval in ended.OrderBy(a => a.Id))
        {
            var id = approval.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var audit = new NewAuditEntry { Actor = "shipgate", Action = "approval.cancel", Target = $"approval/{id}", Reason = reason };
            await _audit.AppendAsync(session, audit, cancellationToken).ConfigureAwait(false);
            var payload = new Dictionary<string, string>
            {
                ["approvalId"] = id,
                ["title"] = approval.Title,
                ["status"] = "cancelled",
                ["reason"] = reason,
            };
            if (approval.Environment is not null)
            {
                payload["environment"] = approval.Environment;
            }

            if (approval.JobKey is not null)
            {
                payload["jobKey"] = approval.JobKey;
            }

            await AppendEventAsync(session, runId, "approval.cancelled", JsonText.FromMap(payload), cancellationToken).ConfigureAwait(false);
        }
    }

    internal async Task<long> AppendEventAsync(DbSession session, long runId, string kind, string payloadJson, CancellationToken cancellationToken)
    {
        // Taking the next number from the run's row locks that row (PostgreSQL) for the transaction, so
        // appenders on several servers number one run's events without gaps or duplicates.
        var sequence = await session.Sql("UPDATE runs SET last_event_sequence = last_event_sequence + 1 WHERE id = @run RETURNING last_event_sequence")
            .Add("@run", runId)
            .ScalarAsync(cancellationToken).ConfigureAwait(false);
        if (sequence is null)
        {
            throw new InvalidOperationException($"Run {runId} does not exist.");
        }

        var number = Convert.ToInt64(sequence, System.Globalization.CultureInfo.InvariantCulture);
        await session.Sql("INSERT INTO run_events (run_id, sequence, kind, payload_json, at) VALUES (@run, @sequence, @kind, @payload, @now)")
            .Add("@run", runId)
            .Add("@sequence", number)
            .Add("@kind", kind)
            .Add("@payload", payloadJson)
            .Add("@now", StoreClock.Now(_time))
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        return number;
    }
}
