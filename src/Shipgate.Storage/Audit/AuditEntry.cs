namespace Shipgate.Storage.Audit;

/// <summary>
/// One entry of the audit log. <see cref="Hash"/> is the SHA-256 (lower-case hex) of the entry's
/// canonical form, which includes <see cref="PreviousHash"/>: changing, deleting or reordering an entry
/// breaks the chain from there on. <see cref="Mac"/> is the HMAC-SHA256 of the hash with the audit key,
/// which the database does not hold: only the server can write a matching one. Null for the entries a
/// store wrote before it had a key (they are sealed by the first keyed entry, <c>audit.seal</c>).
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
    string Hash,
    string? Mac = null);
