namespace Shipgate.Server.Api;

/// <summary>Whether the audit log's hash chain is whole; when not, the first entry that was changed, removed or reordered.</summary>
public sealed record AuditVerificationResponse(bool Valid, long Entries, long? FirstBadSequence, string? Problem);
