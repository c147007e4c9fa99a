namespace Shipgate.Server.Api;

/// <summary>One audit log entry: who did what to which target, when and why, the state before and after (JSON), and its chained hash.</summary>
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
    string Hash);
