using Shipgate.Storage.Audit;

namespace Shipgate.Server.Ui;

/// <summary>
/// The audit page: the filters as typed (shown back in the form), the entries newest first, the next page's cursor (null
/// on the last page), the chain's verification, and the sentence saying why a filter was refused.
/// </summary>
public sealed record AuditPage(
    AuditFilter Filter,
    IReadOnlyList<AuditEntry> Entries,
    long? NextBefore,
    AuditVerification Verification,
    string? Error);
