namespace Shipgate.Delivery.Approvals;

/// <summary>Why a decision was refused; each maps to one HTTP status and CLI exit code.</summary>
public enum ApprovalRefusalKind
{
    /// <summary>The user is not among the approval's reviewers: 403, exit 3.</summary>
    NotAReviewer,

    /// <summary>The environment forbids self-review and the user started the run or wrote the commit: 403, exit 3.</summary>
    SelfReviewForbidden,

    /// <summary>The approval is already approved or rejected: 409, exit 4.</summary>
    AlreadyDecided,

    /// <summary>The approval expired (on-expiry: reject): 409, exit 4.</summary>
    Expired,

    /// <summary>A rejection without a comment, or a comment over the length limit: 400, exit 2.</summary>
    InvalidComment,
}
