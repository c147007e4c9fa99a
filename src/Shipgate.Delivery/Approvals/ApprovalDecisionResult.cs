namespace Shipgate.Delivery.Approvals;

/// <summary>The outcome of <see cref="ApprovalState.Decide"/>.</summary>
public sealed class ApprovalDecisionResult
{
    /// <summary>
    /// The approval after the call. On a refusal it may still differ from before: an approval found past its
    /// expiry is expired first, and the caller stores that.
    /// </summary>
    public required ApprovalState State { get; init; }

    /// <summary>Why the decision was refused; null when it was accepted.</summary>
    public ApprovalRefusal? Refusal { get; init; }

    public bool Accepted => Refusal is null;

    /// <summary>True when the reviewer had already approved: the decision is recorded but counts once.</summary>
    public bool IsRepeat { get; init; }
}
