namespace Shipgate.Storage.Approvals;

/// <summary>What asked for an approval.</summary>
public enum ApprovalKind
{
    /// <summary>A job's <c>environment:</c> whose gates require people.</summary>
    Environment,

    /// <summary>A <c>trstringer/manual-approval</c> step inside a job.</summary>
    ManualApproval,
}
