namespace Shipgate.Delivery.Approvals;

/// <summary>What a reviewer decides.</summary>
public enum ReviewVerdict
{
    Approve,
    Reject,
}
