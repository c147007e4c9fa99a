using Shipgate.Engine.Runs;
using Shipgate.Storage.Database;

namespace Shipgate.Storage.Runs;

/// <summary>
/// The durable queue of runs and jobs. Claiming moves the oldest queued run (or job) to in progress
/// with a lease (owner and expiry) in one statement: on SQLite inside the single writer's transaction,
/// on PostgreSQL with <c>FOR UPDATE SKIP LOCKED</c>, so two claimers never get the same one. The owner
/// renews the lease while it works; when it crashes, the lease expires and whoever finds it ends the
/// work as "runner lost" (or queues it again), compare-and-set on the owner, so it never runs twice
/// at once. An owner whose renewal fails must stop: its work has been taken from it.
/// </summary>
public sealed class WorkQueue
{
    /// <summary>The reason recorded on a step, job or run whose runner was lost.</summary>
    public const string RunnerLostReason = "runner lost";

    private readonly StoreDatabase _database;
    private readonly TimeProvider _time;
    private readonly RunStore _runs;

    internal WorkQueue(StoreDatabase database, TimeProvider time, RunStore runs)
    {
        _database = database;
        _time = time;
        _runs = runs;
    }

    /// <summary>
    /// Claims the oldest queued run for <paramref name="owner"/> until now + <paramref name="lease"/>; null
    /// when none can start. A run whose concurrency group has a run in progress or waiting is not started
    /// (it stays queued, pending); the check and the claim are one statement under the dialect's
    /// concurrency lock, so two servers never start two runs of one group.
    /// </summary>
    public Task<RunRecord?> ClaimNextRunAsync(string owner, TimeSpan lease, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(async session =>
        {
            if (session.Dialect.ConcurrencyLock is { } concurrencyLock)
            {
                await session.Sql(concurrencyLock).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }

            var now = StoreClock.Now(_time);
            return await session.Sql($"""
                UPDATE runs SET status = 'in_progress', started_at = COALESCE(started_at, @now), lease_owner = @owner, lease_expires_at = @expires
                WHERE status = 'queued' AND id = (
                    SELECT q.id FROM runs q
                    WHERE q.status = 'queued' AND (q.concurrency_key IS NULL OR NOT EXISTS (
                        SELECT 1 FROM runs a WHERE a.concurrency_key = q.concurrency_key AND a.status IN ('in_progress', 'waiting')))
                    ORDER BY q.id LIMIT 1{session.Dialect.SkipLocked})
                RETURNING {RunRows.RunColumns}
                """)
                .Add("@now", now)
                .Add("@owner", owner)
                .Add("@expires", now + lease)
                .FirstOrDefaultAsync(RunRows.Run, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Claims the oldest queued job for <paramref name="owner"/> (a runner) until now + <paramref name="lease"/>; null when none is queued.</summary>
    public Task<JobRecord?> ClaimNextJobAsync(string owner, TimeSpan lease, CancellationToken cancellationToken = default) =>
        ClaimAsync("jobs", ", runner = @owner", RunRows.JobColumns, RunRows.Job, owner, lease, cancellationToken);

    /// <summary>Extends the lease on a run <paramref name="owner"/> holds; false when it no longer holds it (stop working on it).</summary>
    public Task<bool> RenewRunLeaseAsync(long runId, string owner, TimeSpan lease, CancellationToken cancellationToken = default) =>
        RenewAsync("runs", runId, owner, lease, cancellationToken);

    /// <summary>Extends the lease on a job <paramref name="owner"/> holds; false when it no longer holds it (stop working on it).</summary>
    public Task<bool> RenewJobLeaseAsync(long jobId, string owner, TimeSpan lease, CancellationToken cancellationToken = default) =>
        RenewAsync("jobs", jobId, owner, lease, cancellationToken);

    /// <summary>Runs and jobs, in progress or waiting, whose lease expired before now: their runner is gone.</summary>
    public Task<IReadOnlyList<ExpiredLease>> FindExpiredLeasesAsync(CancellationToken cancellationToken = default) =>
        _database.ReadAsync(session => session.Sql("""
            SELECT id, NULL, status, lease_owner, lease_expires_at FROM runs
            WHERE lease_owner IS NOT NULL AND lease_expires_at < @now AND status IN ('in_progress', 'waiting')
            UNION ALL
            SELECT run_id, id, status, lease_owner, lease_expires_at FROM jobs
            WHERE lease_owner IS NOT NULL AND lease_expires_at < @now AND status IN ('in_progress', 'waiting')
            ORDER BY 1, 2
            """)
            .Add("@now", StoreClock.Now(_time))
            .ListAsync(row => new ExpiredLease(row.Int64(0), row.NullableInt64(1), DbText.ToRunStatus(row.String(2)), row.String(3), row.Time(4)), cancellationToken), cancellationToken);

    /// <summary>
    /// Ends a job whose runner <paramref name="expectedOwner"/> was lost: its running steps fail with
    /// "runner lost", and the job either fails the same way or, with <paramref name="retry"/>, is queued
    /// again as its next attempt. False when the job is no longer held by that owner (someone else ended it).
    /// </summary>
    public Task<bool> EndLostJobAsync(long jobId, string expectedOwner, bool retry = false, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(async session =>
        {
            var now = StoreClock.Now(_time);
            var ended = await session.Sql(retry
                ? """
                  UPDATE jobs SET status = 'queued', attempt = attempt + 1, lease_owner = NULL, lease_expires_at = NULL, runner = NULL, started_at = NULL
                  WHERE id = @id AND lease_owner = @owner AND status IN ('in_progress', 'waiting')
                  """
                : """
                  UPDATE jobs SET status = 'completed', conclusion = 'failure', outcome = 'failure', reason = @reason, finished_at = @now, lease_owner = NULL, lease_expires_at = NULL
                  WHERE id = @id AND lease_owner = @owner AND status IN ('in_progress', 'waiting')
                  """)
                .Add("@id", jobId)
                .Add("@owner", expectedOwner)
                .AddIf(!retry, "@reason", RunnerLostReason)
                .AddIf(!retry, "@now", now)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
            if (ended)
            {
                await FailRunningStepsAsync(session, jobId, now, cancellationToken).ConfigureAwait(false);
            }

            return ended;
        }, cancellationToken);

    /// <summary>
    /// Ends a run whose runner <paramref name="expectedOwner"/> was lost: its running steps and jobs fail
    /// with "runner lost" and the run fails the same way. With <paramref name="requeue"/>, the run is
    /// queued again instead, so a runner resumes it: only the jobs that had started a step fail as
    /// "runner lost" (no step runs twice); completed jobs keep their results, and a job that had not
    /// started a step (waiting at its environment's gates) is left to start again. The stream gets the
    /// lost steps' and jobs' finished events, then <c>run.resumed</c> (or <c>run.finished</c>), in the same
    /// transaction. False when the run is no longer held by that owner.
    /// </summary>
    public Task<bool> EndLostRunAsync(long runId, string expectedOwner, bool requeue = false, CancellationToken cancellationToken = default) =>
        EndRunAsync(runId, expectedOwner, requeue, null, cancellationToken);

    /// <summary>
    /// Hands a run <paramref name="owner"/> holds back to the queue when the server stops cleanly: recorded as
    /// after a crash (<see cref="EndLostRunAsync"/> with requeue: jobs that had started a step are "runner lost",
    /// the others start again, approvals stay pending), but at once instead of when the lease expires, so a
    /// server that starts (this one again, after an upgrade) resumes it. False when the run is not held by that owner.
    /// </summary>
    public Task<bool> ReleaseRunAsync(long runId, string owner, CancellationToken cancellationToken = default) =>
        EndRunAsync(
            runId,
            owner,
            requeue: true,
            $"The server running the run ({owner}) was stopped (runner lost); the run is queued to resume from what it recorded.",
            cancellationToken);

    private Task<bool> EndRunAsync(long runId, string expectedOwner, bool requeue, string? resumedReason, CancellationToken cancellationToken) =>
        _database.WriteAsync(async session =>
        {
            var now = StoreClock.Now(_time);
            var ended = await session.Sql(requeue
                ? """
                  UPDATE runs SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL
                  WHERE id = @id AND lease_owner = @owner AND status IN ('in_progress', 'waiting')
                  """
                : """
                  UPDATE runs SET status = 'completed', conclusion = 'failure', reason = @reason, finished_at = @now, lease_owner = NULL, lease_expires_at = NULL
                  WHERE id = @id AND lease_owner = @owner AND status IN ('in_progress', 'waiting')
                  """)
                .Add("@id", runId)
                .Add("@owner", expectedOwner)
                .AddIf(!requeue, "@reason", RunnerLostReason)
                .AddIf(!requeue, "@now", now)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1;
            if (!ended)
            {
                return false;
            }

            var lost = await FailLostJobsAsync(session, runId, onlyWithSteps: requeue, now, cancellationToken).ConfigureAwait(false);
            if (requeue)
            {
                var payload = RunEventPayloads.Resumed(expectedOwner, lost, resumedReason);
                await _runs.AppendEventAsync(session, runId, "run.resumed", payload, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _runs.EndOpenApprovalsAsync(session, runId, Conclusion.Failure, now, cancellationToken).ConfigureAwait(false);
                var (kind, payload) = RunEventPayloads.Describe(new RunFinishedEvent { RunId = "", Sequence = 0, Timestamp = now, Conclusion = Conclusion.Failure, Reason = RunnerLostReason, Duration = TimeSpan.Zero });
                await _runs.AppendEventAsync(session, runId, kind, payload, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);

    /// <summary>Fails the run's unfinished jobs (with <paramref name="onlyWithSteps"/>, those that started a step) and their running steps as "runner lost", with their events; returns their keys.</summary>
    private async Task<IReadOnlyList<string>> FailLostJobsAsync(DbSession session, long runId, bool onlyWithSteps, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var jobs = await session.Sql($"""
            SELECT id, job_key, job_id, name, started_at FROM jobs
            WHERE run_id = @run AND status IN ('in_progress', 'waiting'){(onlyWithSteps ? " AND EXISTS (SELECT 1 FROM steps WHERE steps.job_id = jobs.id)" : "")}
            ORDER BY id
            """)
            .Add("@run", runId)
            .ListAsync(row => (Id: row.Int64(0), Key: row.String(1), JobId: row.String(2), Name: row.String(3), StartedAt: row.NullableTime(4)), cancellationToken).ConfigureAwait(false);
        foreach (var job in jobs)
        {
            var steps = await FailRunningStepsAsync(session, job.Id, now, cancellationToken).ConfigureAwait(false);
            foreach (var step in steps.OrderBy(s => s.Number))
            {
                await AppendAsync(new StepFinishedEvent
                {
                    RunId = "",
                    Sequence = 0,
                    Timestamp = now,
                    JobKey = job.Key,
                    StepNumber = step.Number,
                    StepId = step.StepId,
                    Name = step.Name,
                    Outcome = Conclusion.Failure,
                    Conclusion = Conclusion.Failure,
                    Reason = RunnerLostReason,
                    Duration = now - (step.StartedAt ?? now),
                }).ConfigureAwait(false);
            }

            await session.Sql("""
                UPDATE jobs SET status = 'completed', conclusion = 'failure', outcome = 'failure', reason = @reason, finished_at = @now, lease_owner = NULL, lease_expires_at = NULL
                WHERE id = @job
                """)
                .Add("@reason", RunnerLostReason)
                .Add("@now", now)
                .Add("@job", job.Id)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            await AppendAsync(new JobFinishedEvent
            {
                RunId = "",
                Sequence = 0,
                Timestamp = now,
                JobKey = job.Key,
                JobId = job.JobId,
                Name = job.Name,
                Outcome = Conclusion.Failure,
                Conclusion = Conclusion.Failure,
                Reason = RunnerLostReason,
                Outputs = new Dictionary<string, string>(),
                Duration = now - (job.StartedAt ?? now),
            }).ConfigureAwait(false);
        }

        return [.. jobs.Select(j => j.Key)];

        Task<long> AppendAsync(RunEvent runEvent)
        {
            var (kind, payload) = RunEventPayloads.Describe(runEvent);
            return _runs.AppendEventAsync(session, runId, kind, payload, cancellationToken);
        }
    }

    /// <summary>Fails the job's running steps as "runner lost"; returns them.</summary>
    private static Task<IReadOnlyList<(int Number, string? StepId, string Name, DateTimeOffset? StartedAt)>> FailRunningStepsAsync(DbSession session, long jobId, DateTimeOffset now, CancellationToken cancellationToken) =>
        session.Sql("""
            UPDATE steps SET status = 'completed', conclusion = 'failure', outcome = 'failure', reason = @reason, finished_at = @now
            WHERE job_id = @job AND status = 'in_progress'
            RETURNING number, step_id, name, started_at
            """)
            .Add("@reason", RunnerLostReason)
            .Add("@now", now)
            .Add("@job", jobId)
            .ListAsync(row => (Number: row.Int32(0), StepId: row.NullableString(1), Name: row.String(2), StartedAt: row.NullableTime(3)), cancellationToken);

    private Task<T?> ClaimAsync<T>(string table, string alsoSet, string columns, Func<Row, T> read, string owner, TimeSpan lease, CancellationToken cancellationToken)
        where T : class =>
        _database.WriteAsync(session =>
        {
            var now = StoreClock.Now(_time);
            return session.Sql($"""
                UPDATE {table} SET status = 'in_progress', started_at = COALESCE(started_at, @now), lease_owner = @owner, lease_expires_at = @expires{alsoSet}
                WHERE status = 'queued' AND id = (SELECT id FROM {table} WHERE status = 'queued' ORDER BY id LIMIT 1{session.Dialect.SkipLocked})
                RETURNING {columns}
                """)
                .Add("@now", now)
                .Add("@owner", owner)
                .Add("@expires", now + lease)
                .FirstOrDefaultAsync(read, cancellationToken);
        }, cancellationToken);

    private Task<bool> RenewAsync(string table, long id, string owner, TimeSpan lease, CancellationToken cancellationToken) =>
        _database.WriteAsync(async session => await session.Sql($"""
            UPDATE {table} SET lease_expires_at = @expires
            WHERE id = @id AND lease_owner = @owner AND status IN ('in_progress', 'waiting')
            """)
            .Add("@expires", StoreClock.Now(_time) + lease)
            .Add("@id", id)
            .Add("@owner", owner)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false) == 1, cancellationToken);
}
