using Microsoft.Extensions.Logging;

namespace Shipgate.Storage;

/// <summary>The store's log messages (event ids 2000–2999).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Store {Description} ({Provider}) opened at schema version {Version}")]
    public static partial void StoreOpened(ILogger logger, string description, StoreProvider provider, int version);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Store {Description}: applied migration {Version} ({Migration})")]
    public static partial void MigrationApplied(ILogger logger, string description, int version, string migration);
}
