namespace Shipgate.Server.Audit;

/// <summary>An audit entry to append: who did what to which subject, why, and the state before and after (JSON or text).</summary>
internal sealed record AuditRecord(string Actor, string Action, string Subject, string? Reason = null, string? Before = null, string? After = null);
