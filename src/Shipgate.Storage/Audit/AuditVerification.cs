namespace Shipgate.Storage.Audit;

/// <summary>The outcome of verifying the audit log: whole, or the first entry that is not.</summary>
/// <param name="Entries">How many entries were checked.</param>
/// <param name="FirstBadSequence">The sequence number of the first changed, missing or misplaced entry; null when whole.</param>
/// <param name="Problem">One sentence saying what is wrong with it; null when whole.</param>
/// <param name="Limits">What could not be checked (no key, no checkpoint, entries from before the key); null when everything was.</param>
public sealed record AuditVerification(long Entries, long? FirstBadSequence, string? Problem, string? Limits = null)
{
    public bool IsValid => FirstBadSequence is null;
}
