using Microsoft.Extensions.Logging;

namespace Shipgate.Server.Hosting;

/// <summary>Log messages of the server's start and stop (event ids 5000-5099).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Starting the Shipgate server with data in {DataDirectory}")]
    public static partial void Starting(ILogger logger, string dataDirectory);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "The store is open: {Description}, schema version {SchemaVersion}")]
    public static partial void StoreOpened(ILogger logger, string description, int schemaVersion);

    [LoggerMessage(EventId = 5080, Level = LogLevel.Warning, Message = "Steps are not isolated (StepIsolation=none): they run as {User} with the server's environment and can read the data directory")]
    public static partial void StepsUnisolated(ILogger logger, string user);

    [LoggerMessage(EventId = 5081, Level = LogLevel.Information, Message = "Steps run in a bubblewrap sandbox per job, as {User}")]
    public static partial void StepsSandboxed(ILogger logger, string user);

    [LoggerMessage(EventId = 5090, Level = LogLevel.Warning, Message = "The data directory {DataDirectory} was mode {Mode}: tightened to 700, so that only the server's user can enter it")]
    public static partial void DataDirectoryTightened(ILogger logger, string dataDirectory, string mode);

    [LoggerMessage(EventId = 5091, Level = LogLevel.Warning, Message = "The data directory {DataDirectory} is mode {Mode} and cannot be changed by the server's user: make it 700 (chmod 700), so that other users cannot read the store and secret.key")]
    public static partial void DataDirectoryOpen(ILogger logger, string dataDirectory, string mode);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "Unhandled error in {Method} {Path}")]
    public static partial void UnhandledError(ILogger logger, Exception exception, string method, string path);
}
