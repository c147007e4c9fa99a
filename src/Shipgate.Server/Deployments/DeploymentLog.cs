using Microsoft.Extensions.Logging;

namespace Shipgate.Server.Deployments;

/// <summary>Log messages of deployments (event ids 5650-5699; notifications have 5600-5649).</summary>
internal static partial class DeploymentLog
{
    [LoggerMessage(EventId = 5650, Level = LogLevel.Information, Message = "Deployment {DeploymentId} of {Service} {Version} to {Environment}: {Status}")]
    public static partial void Changed(ILogger logger, long deploymentId, string service, string version, string environment, string status);

    [LoggerMessage(EventId = 5651, Level = LogLevel.Warning, Message = "The previous release of deployment {DeploymentId} could not be stopped at the end of its rollback window (tried again): {Reason}")]
    public static partial void KeepWarmFailed(ILogger logger, long deploymentId, string reason);
}
