using Microsoft.Extensions.Logging;

namespace Shipgate.Server.Approvals;

/// <summary>Log messages of approvals and environment gates (event ids 5500-5599).</summary>
internal static partial class ApprovalLog
{
    [LoggerMessage(EventId = 5500, Level = LogLevel.Information, Message = "Approval {ApprovalId} requested for run {RunId}: {Title}")]
    public static partial void Requested(ILogger logger, long approvalId, long runId, string title);

    [LoggerMessage(EventId = 5501, Level = LogLevel.Information, Message = "Approval {ApprovalId}: {User} decided {Verdict}")]
    public static partial void Decided(ILogger logger, long approvalId, string user, string verdict);

    [LoggerMessage(EventId = 5502, Level = LogLevel.Information, Message = "Run {RunId}: environment {Environment} {Status}: {Reason}")]
    public static partial void EnvironmentGate(ILogger logger, long runId, string environment, string status, string reason);
}
