namespace Shipgate.Delivery.Approvals;

/// <summary>Where an approval stands; every status but <see cref="Pending"/> is final.</summary>
public enum ApprovalStatus
{
    Pending,
    Approved,
    Rejected,
    Expired,
}
