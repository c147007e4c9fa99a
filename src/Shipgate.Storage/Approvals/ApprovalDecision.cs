namespace Shipgate.Storage.Approvals;

/// <summary>One reviewer's answer to an approval.</summary>
public enum ApprovalDecision
{
    Approved,
    Rejected,
}
