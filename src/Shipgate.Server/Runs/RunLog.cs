using Microsoft.Extensions.Logging;

namespace Shipgate.Server.Runs;

/// <summary>Log messages of runs: queueing, scheduling and executing (event ids 5400-5499).</summary>
internal static partial class RunLog
{
    [LoggerMessage(EventId = 5400, Level = LogLevel.Information, Message = "Queued run {RunId} of {Project} {WorkflowPath} for {Event} on {Ref} at {Sha}")]
    public static partial void RunQueued(ILogger logger, long runId, string project, string workflowPath, string @event, string @ref, string sha);

    [LoggerMessage(EventId = 5401, Level = LogLevel.Debug, Message = "{Project} {WorkflowPath} for {Event}: matches={Matches} ({Reason})")]
    public static partial void TriggerMatch(ILogger logger, string project, string workflowPath, string @event, bool matches, string reason);

    [LoggerMessage(EventId = 5402, Level = LogLevel.Information, Message = "Run {RunId} started")]
    public static partial void RunStarted(ILogger logger, long runId);

    [LoggerMessage(EventId = 5403, Level = LogLevel.Information, Message = "Run {RunId} completed: {Conclusion}")]
    public static partial void RunCompleted(ILogger logger, long runId, string conclusion);

    [LoggerMessage(EventId = 5404, Level = LogLevel.Warning, Message = "Run {RunId} could not start: {Reason}")]
    public static partial void RunRefused(ILogger logger, long runId, string reason);

    [LoggerMessage(EventId = 5405, Level = LogLevel.Error, Message = "Run {RunId} failed inside the server")]
    public static partial void RunCrashed(ILogger logger, Exception exception, long runId);

    [LoggerMessage(EventId = 5406, Level = LogLevel.Warning, Message = "The lease of run {RunId} was lost; the run is stopped here")]
    public static partial void LeaseLost(ILogger logger, long runId);

    [LoggerMessage(EventId = 5407, Level = LogLevel.Warning, Message = "Run {RunId} (owner {Owner}) lost its runner; queued to resume")]
    public static partial void RunnerLost(ILogger logger, long runId, string owner);

    [LoggerMessage(EventId = 5408, Level = LogLevel.Error, Message = "The scheduler failed; it retries")]
    public static partial void SchedulerError(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5409, Level = LogLevel.Information, Message = "Run {RunId} resumed with {Completed} jobs completed before")]
    public static partial void RunResumed(ILogger logger, long runId, int completed);

    [LoggerMessage(
        EventId = 5410,
        Level = LogLevel.Information,
        Message = "Run {RunId} was handed back to the queue as the server stopped; a server resumes it from what it recorded")]
    public static partial void RunReleased(ILogger logger, long runId);

    [LoggerMessage(EventId = 5420, Level = LogLevel.Information, Message = "Run {RunId} was cancelled by run {NewerRunId} of its concurrency group: {Reason}")]
    public static partial void ConcurrencyCancelled(ILogger logger, long runId, long newerRunId, string reason);
}
