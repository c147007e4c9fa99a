namespace Shipgate.Storage.Approvals;

/// <summary>Which approvals to list, newest first.</summary>
public sealed record ApprovalQuery
{
    public ApprovalStatus? Status { get; init; }

    public long? ProjectId { get; init; }

    public long? RunId { get; init; }

    /// <summary>At most this many (1 to 1000). Default 100.</summary>
    public int Limit { get; init; } = 100;
}
