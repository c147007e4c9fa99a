using Microsoft.Extensions.Logging;

namespace Shipgate.Edge.Supervisor;

/// <summary>The supervisor's log messages (event ids 3100–3199).</summary>
internal static partial class Log
{
    [LoggerMessage(3100, LogLevel.Information, "Instance {InstanceId} started: pid {Pid}, port {Port}.")]
    public static partial void InstanceStarted(this ILogger logger, string instanceId, int pid, int port);

    [LoggerMessage(3101, LogLevel.Information, "Instance {InstanceId} adopted: pid {Pid} kept running while the edge was away.")]
    public static partial void InstanceAdopted(this ILogger logger, string instanceId, int pid);

    [LoggerMessage(3102, LogLevel.Warning, "Instance {InstanceId} crashed: {Reason}")]
    public static partial void InstanceCrashed(this ILogger logger, string instanceId, string reason);

    [LoggerMessage(3103, LogLevel.Warning, "The state file could not be written: {Reason}")]
    public static partial void StateNotWritten(this ILogger logger, string reason);
}
