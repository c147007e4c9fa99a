namespace Shipgate.Delivery.Configuration;

/// <summary>
/// An <c>approval</c> block as written: who may approve and how many must. Teams are expanded to their
/// members when an approval is opened (<see cref="Approvals.ApprovalPolicy.ResolveAsync"/>).
/// </summary>
public sealed class ApprovalDefinition
{
    /// <summary>Users and <c>team:NAME</c> entries, in file order, without duplicates.</summary>
    public required IReadOnlyList<ReviewerReference> Reviewers { get; init; }

    /// <summary>How many distinct reviewers must approve. Default 1.</summary>
    public int Required { get; init; } = 1;

    /// <summary>When true, the run's initiator and the commit's author cannot approve. Default false.</summary>
    public bool PreventSelfReview { get; init; }

    /// <summary>
    /// What a commit of the release by someone who maps to no user does. Default <see cref="UnknownAuthorsAction.Block"/>
    /// when <see cref="PreventSelfReview"/> is on (self-review cannot be checked for a stranger), else allow.
    /// </summary>
    public UnknownAuthorsAction UnknownAuthors { get; init; } = UnknownAuthorsAction.Allow;

    /// <summary>How long after it is requested the approval expires; null (the default) never.</summary>
    public TimeSpan? ExpiresAfter { get; init; }

    /// <summary>What expiry does. Default <see cref="ApprovalExpiryAction.Reject"/>.</summary>
    public ApprovalExpiryAction OnExpiry { get; init; } = ApprovalExpiryAction.Reject;

    /// <summary>Text shown to reviewers (what to check before approving); null when none.</summary>
    public string? Instructions { get; init; }
}
