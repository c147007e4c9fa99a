namespace Shipgate.Storage.Approvals;

public enum ApprovalStatus
{
    Pending,
    Approved,
    Rejected,
    Expired,

    /// <summary>Its run completed (cancelled or finished) while it was pending: it can no longer be decided.</summary>
    Cancelled,
}
