using Microsoft.Extensions.Logging;

namespace Shipgate.Edge.Proxy;

/// <summary>The proxy's log messages: event ids 3100 to 3199 (the edge's range is 3000).</summary>
internal static partial class Log
{
    [LoggerMessage(3100, LogLevel.Information, "The edge's proxy listens on {Addresses}.")]
    public static partial void Listening(ILogger logger, string addresses);

    [LoggerMessage(3101, LogLevel.Warning, "The host name {Host} is claimed by more than one service; the first in the route table keeps it.")]
    public static partial void HostConflict(ILogger logger, string host);

    [LoggerMessage(3102, LogLevel.Debug, "Forwarding to {Instance} of {Version} failed ({Error}); trying another instance.")]
    public static partial void Retrying(ILogger logger, string instance, string version, string error);

    [LoggerMessage(3103, LogLevel.Warning, "A request to {Version} got no answer: {Error}.")]
    public static partial void ForwardFailed(ILogger logger, string version, string error);

    [LoggerMessage(3104, LogLevel.Debug, "A mirrored copy to {Version} failed: {Error}")]
    public static partial void MirrorFailed(ILogger logger, string version, string error);

    [LoggerMessage(3105, LogLevel.Error, "Comparing a mirrored answer with the primary answer failed; the pair counts as not compared.")]
    public static partial void ComparisonFailed(ILogger logger, Exception exception);
}
