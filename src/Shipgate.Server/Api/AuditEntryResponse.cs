namespace Shipgate.Server.Api;

/// <summary>
/// One audit log entry: who did what to which target, when and why, the state before and after (JSON), its
/// chained hash, and its MAC with the server's audit key (absent on entries written before the key existed).
/// </summary>
public sealed record AuditEntryResponse(
    long Sequence,
    DateTimeOffset At,
    string Actor,
    string Action,
    string Target,
    string? Reason,
    string? Before,
    string? After,
    string PreviousHash,
    string Hash,
    string? Mac = null);
