using Microsoft.Extensions.Logging;

namespace Shipgate.Server.Demo;

/// <summary>Log messages of <c>--demo</c> (event ids 5900-5999).</summary>
internal static partial class DemoLog
{
    [LoggerMessage(EventId = 5900, Level = LogLevel.Information, Message = "Demo: {Project} runs its delivery pipeline as run {RunId}")]
    public static partial void Ready(ILogger logger, string project, long runId);
}
