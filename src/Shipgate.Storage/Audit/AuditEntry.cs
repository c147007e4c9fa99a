namespace Shipgate.Storage.Audit;

/// <summary>
/// One entry of the audit log. <see cref="Hash"/> is the SHA-256 (lower-case hex) of the entry's
/// canonical form, which includes <see cref="PreviousHash"/>: changing, deleting or reordering an entry
/// breaks the chain from there on.
/// </summary>
public sealed record AuditEntry(
    long Sequence,
    DateTimeOffset At,
    string Actor,
    string Action,
    string Target,
    string? Reason,
    string? BeforeJson,
    string? AfterJson,
    string PreviousHash,
    string Hash);
