using Shipgate.Delivery.Configuration;

namespace Shipgate.Delivery.Approvals;

/// <summary>
/// One approval as a pure state machine: its policy, the decisions so far and its status. Every change returns
/// a new state for the caller to store; nothing here reads a clock (time comes in as <c>now</c>).
/// The rules: only reviewers decide; under prevent-self-review the run's initiator and the commit's author
/// cannot approve (they may reject); the same reviewer approving twice counts once; one rejection rejects;
/// <see cref="ApprovalPolicy.Required"/> distinct approvals approve; past <see cref="ExpiresAt"/> a pending
/// approval expires (on-expiry: reject) or keeps waiting with the expiry noted (keep-waiting).
/// </summary>
public sealed record ApprovalState
{
    /// <summary>The longest comment kept with a decision, in characters.</summary>
    public const int MaxCommentLength = 4000;

    public required ApprovalKey Key { get; init; }

    public required ApprovalPolicy Policy { get; init; }

    /// <summary>When the approval was asked for; expiry counts from here.</summary>
    public required DateTimeOffset RequestedAt { get; init; }

    public ApprovalStatus Status { get; init; } = ApprovalStatus.Pending;

    /// <summary>The accepted decisions in order, repeats included.</summary>
    public IReadOnlyList<ReviewDecision> Decisions { get; init; } = [];

    /// <summary>When the approval became approved, rejected or expired; null while pending.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>
    /// When the approval passed its expiry: set for an expired approval, and for a pending one under
    /// keep-waiting once the expiry has been noted (so that it is notified once).
    /// </summary>
    public DateTimeOffset? ExpiredAt { get; init; }

    /// <summary>When a pending approval expires; null when the policy has no expiry.</summary>
    public DateTimeOffset? ExpiresAt => Policy.ExpiresAfter is { } after ? RequestedAt + after : null;

    /// <summary>The reviewers who approved, once each, in the order of their first approval.</summary>
    public IReadOnlyList<string> ApprovedBy => Decisions
        .Where(d => d.Verdict == ReviewVerdict.Approve)
        .Select(d => d.User)
        .Distinct(StringComparer.OrdinalIgnoreCase)
        .ToList();

    /// <summary>Opens a pending approval for <paramref name="key"/>.</summary>
    public static ApprovalState Open(ApprovalKey key, ApprovalPolicy policy, DateTimeOffset requestedAt) =>
        new() { Key = key, Policy = policy, RequestedAt = requestedAt };

    /// <summary>
    /// Applies <paramref name="user"/>'s decision at <paramref name="now"/>, or refuses it. Checks, in order:
    /// expiry (applied first), reviewer (403), self-review for approvals (403), decided or expired (409),
    /// comment (400: a rejection needs one; at most <see cref="MaxCommentLength"/> characters).
    /// </summary>
    public ApprovalDecisionResult Decide(string user, ReviewVerdict verdict, string? comment, DateTimeOffset now)
    {
        var state = Expire(now);
        if (!Policy.IsReviewer(user))
        {
            return state.Refuse(ApprovalRefusalKind.NotAReviewer, $"{user} is not a reviewer of this approval; it may be decided by {Policy.DescribeReviewers()}");
        }

        if (verdict == ReviewVerdict.Approve && Policy.SelfReviewReason(user) is { } selfReview)
        {
            return state.Refuse(ApprovalRefusalKind.SelfReviewForbidden, $"{user} cannot approve: {selfReview}");
        }

        switch (state.Status)
        {
            case ApprovalStatus.Expired:
                return state.Refuse(ApprovalRefusalKind.Expired, $"the approval expired at {state.ExpiredAt:u} and can no longer be decided");
            case ApprovalStatus.Approved or ApprovalStatus.Rejected:
                return state.Refuse(ApprovalRefusalKind.AlreadyDecided, $"the approval was already {(state.Status == ApprovalStatus.Approved ? "approved" : "rejected")} at {state.ClosedAt:u}");
        }

        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (verdict == ReviewVerdict.Reject && comment is null)
        {
            return state.Refuse(ApprovalRefusalKind.InvalidComment, "a rejection needs a comment saying why");
        }

        if (comment is { Length: > MaxCommentLength })
        {
            return state.Refuse(ApprovalRefusalKind.InvalidComment, $"the comment is {comment.Length} characters long; the limit is {MaxCommentLength}");
        }

        var isRepeat = verdict == ReviewVerdict.Approve && state.ApprovedBy.Contains(user, StringComparer.OrdinalIgnoreCase);
        var decided = state with { Decisions = [.. state.Decisions, new ReviewDecision(user, verdict, comment, now)] };
        if (verdict == ReviewVerdict.Reject)
        {
            decided = decided with { Status = ApprovalStatus.Rejected, ClosedAt = now };
        }
        else if (decided.ApprovedBy.Count >= Policy.Required)
        {
            decided = decided with { Status = ApprovalStatus.Approved, ClosedAt = now };
        }

        return new ApprovalDecisionResult { State = decided, IsRepeat = isRepeat };
    }

    /// <summary>
    /// Applies on-expiry when a pending approval is past <see cref="ExpiresAt"/> at <paramref name="now"/>:
    /// reject makes it <see cref="ApprovalStatus.Expired"/>; keep-waiting leaves it pending and sets
    /// <see cref="ExpiredAt"/>. Returns this same instance when nothing changes, so that
    /// <c>ReferenceEquals</c> tells the caller whether to store and notify.
    /// </summary>
    public ApprovalState Expire(DateTimeOffset now)
    {
        if (Status != ApprovalStatus.Pending || ExpiresAt is not { } expiresAt || now < expiresAt)
        {
            return this;
        }

        return Policy.OnExpiry switch
        {
            ApprovalExpiryAction.Reject => this with { Status = ApprovalStatus.Expired, ClosedAt = expiresAt, ExpiredAt = expiresAt },
            _ when ExpiredAt is null => this with { ExpiredAt = expiresAt },
            _ => this,
        };
    }

    private ApprovalDecisionResult Refuse(ApprovalRefusalKind kind, string message) =>
        new() { State = this, Refusal = new ApprovalRefusal(kind, message) };
}
