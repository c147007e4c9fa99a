namespace Shipgate.Server.Api;

/// <summary>
/// Whether the audit log is whole (hash chain, MACs, checkpoints); when not, the first entry that was changed,
/// removed, renumbered or rehashed, or the missing tail. <paramref name="Limits"/> says what could not be checked.
/// </summary>
public sealed record AuditVerificationResponse(bool Valid, long Entries, long? FirstBadSequence, string? Problem, string? Limits = null);
