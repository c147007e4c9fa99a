namespace Shipgate.Storage.Audit;

/// <summary>The outcome of <see cref="AuditLog.VerifyChainAsync"/>: whole, or the first entry that is not.</summary>
/// <param name="Entries">How many entries were checked.</param>
/// <param name="FirstBadSequence">The sequence number of the first changed, missing or misplaced entry; null when whole.</param>
/// <param name="Problem">One sentence saying what is wrong with it; null when whole.</param>
public sealed record AuditVerification(long Entries, long? FirstBadSequence, string? Problem)
{
    public bool IsValid => FirstBadSequence is null;
}
