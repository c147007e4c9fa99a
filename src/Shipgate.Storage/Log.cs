using Microsoft.Extensions.Logging;

namespace Shipgate.Storage;

/// <summary>The store's log messages (event ids 2000–2999).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Store {Description} ({Provider}) opened at schema version {Version}")]
    public static partial void StoreOpened(ILogger logger, string description, StoreProvider provider, int version);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Store {Description}: applied migration {Version} ({Migration})")]
    public static partial void MigrationApplied(ILogger logger, string description, int version, string migration);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error,
        Message = "The audit checkpoint {Path} could not be written; the next one will cover these entries")]
    public static partial void AuditCheckpointFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information,
        Message = "The audit log's {Entries} entries written before the audit key were sealed by entry {Seal}")]
    public static partial void AuditSealed(ILogger logger, long entries, long seal);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error,
        Message = "The audit log's newest entry {Sequence} has no MAC though {Path} holds checkpoints: it may have been rewritten; run 'shipgate audit verify'")]
    public static partial void AuditUnkeyedAfterKey(ILogger logger, long sequence, string path);
}
