using Microsoft.Extensions.Logging;

namespace Shipgate.Server.Triggers;

/// <summary>Log messages of triggers: watched repositories, webhooks and schedules (event ids 5300-5399).</summary>
internal static partial class TriggerLog
{
    [LoggerMessage(EventId = 5300, Level = LogLevel.Information, Message = "{Project}: {Ref} moved from {Old} to {New}")]
    public static partial void BranchMoved(ILogger logger, string project, string @ref, string old, string @new);

    [LoggerMessage(EventId = 5301, Level = LogLevel.Information, Message = "{Project}: the push of {Sha} queued {Runs} run(s)")]
    public static partial void PushHandled(ILogger logger, string project, string sha, int runs);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Error, Message = "Watching the repositories failed; retrying")]
    public static partial void WatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5303, Level = LogLevel.Warning, Message = "Rejected a webhook delivery for {Project}: {Reason}")]
    public static partial void WebhookRejected(ILogger logger, string project, string reason);

    [LoggerMessage(EventId = 5304, Level = LogLevel.Information, Message = "Webhook {Event} ({Delivery}) for {Project} queued {Runs} run(s)")]
    public static partial void WebhookHandled(ILogger logger, string @event, string delivery, string project, int runs);

    [LoggerMessage(EventId = 5305, Level = LogLevel.Information, Message = "Schedule '{Cron}' of {Project} {WorkflowPath} fired for {Slot}")]
    public static partial void ScheduleFired(ILogger logger, string cron, string project, string workflowPath, DateTimeOffset slot);

    [LoggerMessage(EventId = 5306, Level = LogLevel.Error, Message = "The schedules failed; retrying")]
    public static partial void SchedulesFailed(ILogger logger, Exception exception);
}
