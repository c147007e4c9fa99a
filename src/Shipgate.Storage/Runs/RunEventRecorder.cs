using Shipgate.Engine.Runs;
using Shipgate.Storage.Database;

namespace Shipgate.Storage.Runs;

/// <summary>
/// Persists the engine's events for one stored run: each state change (run, job and step started or
/// finished) updates its row and appends to the run's event stream in one transaction, and the engine
/// awaits it before it goes on, so the change is durable before it is acted on. Annotations are
/// appended to the stream. Output lines are not (the step's log file has them) unless asked for.
/// The engine's own run id and sequence numbers are not used: the stored run's id and its stream's
/// numbering are (a resumed run continues its stream).
/// </summary>
public sealed class RunEventRecorder : IRunObserver
{
    private readonly StoreDatabase _database;
    private readonly RunStore _runs;
    private readonly TimeProvider _time;
    private readonly long _runId;
    private readonly string? _runner;
    private readonly bool _recordOutputLines;

    internal RunEventRecorder(StoreDatabase database, RunStore runs, TimeProvider time, long runId, string? runner, bool recordOutputLines)
    {
        _database = database;
        _runs = runs;
        _time = time;
        _runId = runId;
        _runner = runner;
        _recordOutputLines = recordOutputLines;
    }

    public async ValueTask OnEventAsync(RunEvent runEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        if (runEvent is StepOutputEvent && !_recordOutputLines)
        {
            return;
        }

        var (kind, payload) = RunEventPayloads.Describe(runEvent);
        await _database.WriteAsync(async session =>
        {
            await ApplyAsync(session, runEvent, cancellationToken).ConfigureAwait(false);
            return await _runs.AppendEventAsync(session, _runId, kind, payload, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    private Task ApplyAsync(DbSession session, RunEvent runEvent, CancellationToken cancellationToken)
    {
        var now = StoreClock.Now(_time);
        return runEvent switch
        {
            RunStartedEvent started => session.Sql("""
                UPDATE runs SET status = 'in_progress', started_at = COALESCE(started_at, @now), run_directory = @directory
                WHERE id = @run AND status IN ('queued', 'in_progress')
                """)
                .Add("@now", now)
                .Add("@directory", started.RunDirectory)
                .Add("@run", _runId)
                .ExecuteAsync(cancellationToken),
            JobStartedEvent started => session.Sql("""
                INSERT INTO jobs (run_id, job_key, job_id, name, status, environment, matrix_json, runner, attempt, created_at, started_at)
                VALUES (@run, @key, @job, @name, 'in_progress', @environment, @matrix, @runner, 1, @now, @now)
                ON CONFLICT (run_id, job_key) DO UPDATE SET status = 'in_progress', name = excluded.name, environment = excluded.environment,
                    matrix_json = excluded.matrix_json, runner = COALESCE(excluded.runner, jobs.runner), started_at = excluded.started_at,
                    conclusion = NULL, outcome = NULL, reason = NULL, finished_at = NULL
                """)
                .Add("@run", _runId)
                .Add("@key", started.JobKey)
                .Add("@job", started.JobId)
                .Add("@name", started.Name)
                .Add("@environment", started.Environment)
                .Add("@matrix", started.MatrixJson)
                .Add("@runner", _runner)
                .Add("@now", now)
                .ExecuteAsync(cancellationToken),
            JobFinishedEvent finished => session.Sql("""
                INSERT INTO jobs (run_id, job_key, job_id, name, status, conclusion, outcome, reason, outputs_json, attempt, created_at, finished_at)
                VALUES (@run, @key, @job, @name, 'completed', @conclusion, @outcome, @reason, @outputs, 1, @now, @now)
                ON CONFLICT (run_id, job_key) DO UPDATE SET status = 'completed', conclusion = excluded.conclusion, outcome = excluded.outcome,
                    reason = excluded.reason, outputs_json = excluded.outputs_json, finished_at = excluded.finished_at,
                    lease_owner = NULL, lease_expires_at = NULL
                """)
                .Add("@run", _runId)
                .Add("@key", finished.JobKey)
                .Add("@job", finished.JobId)
                .Add("@name", finished.Name)
                .Add("@conclusion", DbText.Of(finished.Conclusion))
                .Add("@outcome", DbText.Of(finished.Outcome))
                .Add("@reason", finished.Reason)
                .Add("@outputs", JsonText.FromMap(finished.Outputs))
                .Add("@now", now)
                .ExecuteAsync(cancellationToken),
            StepStartedEvent started => session.Sql("""
                INSERT INTO steps (job_id, number, step_id, name, status, log_path, started_at)
                SELECT id, @number, @step, @name, 'in_progress', @log, @now FROM jobs WHERE run_id = @run AND job_key = @key
                ON CONFLICT (job_id, number) DO UPDATE SET step_id = excluded.step_id, name = excluded.name, status = 'in_progress',
                    log_path = excluded.log_path, started_at = excluded.started_at, conclusion = NULL, outcome = NULL, reason = NULL, finished_at = NULL
                """)
                .Add("@number", started.StepNumber)
                .Add("@step", started.StepId)
                .Add("@name", started.Name)
                .Add("@log", started.LogPath)
                .Add("@now", now)
                .Add("@run", _runId)
                .Add("@key", started.JobKey)
                .ExecuteAsync(cancellationToken),
            StepFinishedEvent finished => session.Sql("""
                INSERT INTO steps (job_id, number, step_id, name, status, conclusion, outcome, reason, finished_at)
                SELECT id, @number, @step, @name, 'completed', @conclusion, @outcome, @reason, @now FROM jobs WHERE run_id = @run AND job_key = @key
                ON CONFLICT (job_id, number) DO UPDATE SET status = 'completed', conclusion = excluded.conclusion, outcome = excluded.outcome,
                    reason = excluded.reason, finished_at = excluded.finished_at
                """)
                .Add("@number", finished.StepNumber)
                .Add("@step", finished.StepId)
                .Add("@name", finished.Name)
                .Add("@conclusion", DbText.Of(finished.Conclusion))
                .Add("@outcome", DbText.Of(finished.Outcome))
                .Add("@reason", finished.Reason)
                .Add("@now", now)
                .Add("@run", _runId)
                .Add("@key", finished.JobKey)
                .ExecuteAsync(cancellationToken),
            RunFinishedEvent finished => _runs.CompleteRunAsync(session, _runId, [RunStatus.Queued, RunStatus.InProgress, RunStatus.Waiting], finished.Conclusion, finished.Reason, cancellationToken),
            _ => Task.CompletedTask,
        };
    }
}
