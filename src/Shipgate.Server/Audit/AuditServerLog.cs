using Microsoft.Extensions.Logging;

namespace Shipgate.Server.Audit;

/// <summary>Log messages of the audit log's server side (event ids 5750-5799).</summary>
internal static partial class AuditServerLog
{
    [LoggerMessage(EventId = 5750, Level = LogLevel.Error, Message = "{Count} refused request(s) could not be written to the audit log")]
    public static partial void RejectedFlushFailed(ILogger logger, long count, Exception exception);
}
