using Shipgate.Engine.Runs;
using Shipgate.Server.Api;
using Shipgate.Storage.Runs;

namespace Shipgate.Server.Runs;

/// <summary>The store's run records as the API shows them (GitHub's status and conclusion spellings).</summary>
internal static class RunMapping
{
    public static RunResponse ToResponse(RunRecord run, string project) => new(
        run.Id,
        project,
        run.WorkflowName,
        run.WorkflowPath,
        run.Number,
        run.Event,
        run.Ref,
        run.Sha,
        run.Actor,
        Status(run.Status),
        Conclusion(run.Conclusion),
        run.Reason,
        run.CreatedAt,
        run.StartedAt,
        run.FinishedAt);

    public static JobResponse ToResponse(JobRecord job, IReadOnlyList<StepRecord> steps) => new(
        job.Key,
        job.Name,
        Status(job.Status),
        Conclusion(job.Conclusion),
        job.Environment,
        job.Reason,
        job.StartedAt,
        job.FinishedAt,
        [.. steps.Select(s => new StepResponse(s.Number, s.Name, Status(s.Status), Conclusion(s.Conclusion), s.Reason, s.StartedAt, s.FinishedAt))]);

    public static string Status(RunStatus status) => status switch
    {
        RunStatus.Queued => "queued",
        RunStatus.InProgress => "in_progress",
        RunStatus.Waiting => "waiting",
        _ => "completed",
    };

    public static string? Conclusion(Conclusion? conclusion) => conclusion switch
    {
        null => null,
        Engine.Runs.Conclusion.Success => "success",
        Engine.Runs.Conclusion.Failure => "failure",
        Engine.Runs.Conclusion.Cancelled => "cancelled",
        _ => "skipped",
    };

    public static bool TryParseStatus(string? text, out RunStatus? status)
    {
        status = text switch
        {
            null or "" => null,
            "queued" => RunStatus.Queued,
            "in_progress" => RunStatus.InProgress,
            "waiting" => RunStatus.Waiting,
            "completed" => RunStatus.Completed,
            _ => (RunStatus)(-1),
        };
        return status is null || Enum.IsDefined(status.Value);
    }
}
