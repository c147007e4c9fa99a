using Microsoft.Extensions.Logging;
using Shipgate.Core.Workflows;
using Shipgate.Engine.Runs;
using Shipgate.Server.Hosting;
using Shipgate.Storage.Approvals;
using Shipgate.Storage.Audit;
using Shipgate.Storage.Runs;

namespace Shipgate.Server.Runs;

/// <summary>
/// What a claimed run that ran before (its server died, the store queued it again: see
/// <see cref="WorkQueue.EndLostRunAsync"/>) resumes with: the jobs it completed, as recorded, for the
/// engine to take as done. Jobs that failed as "runner lost" stay failed unless they opt into running
/// again (<see cref="RetryOnRunnerLostVariable"/>); pending manual approvals, whose steps died, expire.
/// </summary>
internal static class RunResumption
{
    /// <summary>
    /// A job whose env sets this to <c>true</c> (literally) is run again from its first step when its
    /// runner was lost, instead of failing as "runner lost": for jobs whose steps may run twice.
    /// </summary>
    public const string RetryOnRunnerLostVariable = "SHIPGATE_RETRY_ON_RUNNER_LOST";

    /// <summary>The jobs the run completed before; none for a run that starts now (nothing recorded yet).</summary>
    public static async Task<IReadOnlyDictionary<string, CompletedJob>> PrepareAsync(ServerStore store, RunRecord run, WorkflowDefinition workflow, ILogger logger, CancellationToken cancellationToken = default)
    {
        if (run.LastEventSequence == 0)
        {
            return new Dictionary<string, CompletedJob>();
        }

        await ExpireManualApprovalsAsync(store, run.Id, cancellationToken).ConfigureAwait(false);
        var jobs = await store.Store.Runs.ListJobsAsync(run.Id, cancellationToken).ConfigureAwait(false);
        var completed = jobs.Where(j => j.Status == RunStatus.Completed && j.Conclusion is not null && !RetriesWhenRunnerLost(workflow, j)).ToDictionary(
            j => j.Key,
            j => new CompletedJob
            {
                JobId = j.JobId,
                Name = j.Name,
                Outcome = j.Outcome ?? j.Conclusion!.Value,
                Conclusion = j.Conclusion!.Value,
                Reason = j.Reason,
                Outputs = j.Outputs,
                MatrixJson = j.MatrixJson,
            },
            StringComparer.Ordinal);
        RunLog.RunResumed(logger, run.Id, completed.Count);
        return completed;
    }

    /// <summary>
    /// A resumed run's pending manual-approval steps died with their server (their jobs failed as "runner
    /// lost", or start over and ask again): their approvals expire, so nobody decides one nothing waits for.
    /// </summary>
    private static async Task ExpireManualApprovalsAsync(ServerStore store, long runId, CancellationToken cancellationToken)
    {
        foreach (var approval in await store.Store.Approvals.ListAsync(new ApprovalQuery { RunId = runId }, cancellationToken).ConfigureAwait(false))
        {
            if (approval is { Kind: ApprovalKind.ManualApproval, Status: ApprovalStatus.Pending })
            {
                var audit = new NewAuditEntry { Actor = "shipgate", Action = "approval.expire", Target = $"approval/{approval.Id}", Reason = "The step that asked for it ended with its server (runner lost)." };
                await store.Store.Approvals.TryCompleteAsync(approval.Id, ApprovalStatus.Expired, audit, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Jobs of called workflows (keys with a <c>/</c>) cannot opt in: their definitions are not the run's workflow's.</summary>
    private static bool RetriesWhenRunnerLost(WorkflowDefinition workflow, JobRecord job) =>
        job.Reason == WorkQueue.RunnerLostReason
        && !job.Key.Contains('/', StringComparison.Ordinal)
        && workflow.FindJob(job.JobId) is { } definition
        && definition.Env.Any(pair => pair.Key == RetryOnRunnerLostVariable && pair.Value.Value.Trim() == "true");
}
