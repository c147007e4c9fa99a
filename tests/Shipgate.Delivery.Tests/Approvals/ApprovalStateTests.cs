using Microsoft.Extensions.Time.Testing;
using Shipgate.Delivery.Approvals;
using Shipgate.Delivery.Configuration;
using static Shipgate.Delivery.Tests.Approvals.TestApprovals;

namespace Shipgate.Delivery.Tests.Approvals;

public sealed class ApprovalStateTests
{
    private readonly FakeTimeProvider _time = new(Start);

    private DateTimeOffset Now => _time.GetUtcNow();

    [Fact]
    public void Open_IsPendingWithoutDecisions()
    {
        var state = Open(Definition("alice"));

        Assert.Equal(ApprovalStatus.Pending, state.Status);
        Assert.Equal(Key, state.Key);
        Assert.Equal(Start, state.RequestedAt);
        Assert.Empty(state.Decisions);
        Assert.Null(state.ExpiresAt);
        Assert.Null(state.ClosedAt);
    }

    [Fact]
    public void Decide_RequiredDistinctApprovals_Approve()
    {
        var state = Open(Definition("alice, bob, carol", required: 2));

        _time.Advance(TimeSpan.FromMinutes(3));
        var first = state.Decide("alice", ReviewVerdict.Approve, "looks good", Now);
        _time.Advance(TimeSpan.FromMinutes(2));
        var second = first.State.Decide("carol", ReviewVerdict.Approve, null, Now);

        Assert.True(first.Accepted);
        Assert.Equal(ApprovalStatus.Pending, first.State.Status);
        Assert.True(second.Accepted);
        Assert.Equal(ApprovalStatus.Approved, second.State.Status);
        Assert.Equal(Start.AddMinutes(5), second.State.ClosedAt);
        Assert.Equal(["alice", "carol"], second.State.ApprovedBy);
        Assert.Equal(
            [new ReviewDecision("alice", ReviewVerdict.Approve, "looks good", Start.AddMinutes(3)), new ReviewDecision("carol", ReviewVerdict.Approve, null, Start.AddMinutes(5))],
            second.State.Decisions);
        Assert.Equal(ApprovalStatus.Pending, state.Status);
    }

    [Fact]
    public void Decide_SamePersonTwice_CountsOnce()
    {
        var state = Open(Definition("alice, bob", required: 2));

        var first = state.Decide("alice", ReviewVerdict.Approve, null, Now);
        var again = first.State.Decide("ALICE", ReviewVerdict.Approve, "still fine", Now);

        Assert.True(again.Accepted);
        Assert.True(again.IsRepeat);
        Assert.False(first.IsRepeat);
        Assert.Equal(ApprovalStatus.Pending, again.State.Status);
        Assert.Equal(["alice"], again.State.ApprovedBy);
        Assert.Equal(2, again.State.Decisions.Count);

        var bob = again.State.Decide("bob", ReviewVerdict.Approve, null, Now);
        Assert.Equal(ApprovalStatus.Approved, bob.State.Status);
    }

    [Fact]
    public void Decide_OneRejection_RejectsDespiteApprovals()
    {
        var state = Open(Definition("alice, bob, carol", required: 2))
            .Decide("alice", ReviewVerdict.Approve, null, Now).State;

        var result = state.Decide("bob", ReviewVerdict.Reject, "the migration is not reversible", Now);

        Assert.True(result.Accepted);
        Assert.Equal(ApprovalStatus.Rejected, result.State.Status);
        Assert.Equal(Now, result.State.ClosedAt);
    }

    [Fact]
    public void Decide_TeamMember_IsAReviewer()
    {
        var teams = new FakeTeamDirectory(new() { ["release-managers"] = ["carol"] });
        var state = Open(Definition("alice, team:release-managers"), teams: teams);

        var result = state.Decide("carol", ReviewVerdict.Approve, null, Now);

        Assert.Equal(ApprovalStatus.Approved, result.State.Status);
    }

    [Fact]
    public void Decide_NotAReviewer_IsRefused()
    {
        var state = Open(Definition("alice, team:release-managers"));

        var result = state.Decide("mallory", ReviewVerdict.Approve, null, Now);

        Assert.False(result.Accepted);
        Assert.Equal(ApprovalRefusalKind.NotAReviewer, result.Refusal!.Kind);
        Assert.Equal("mallory is not a reviewer of this approval; it may be decided by alice or team:release-managers", result.Refusal.Message);
        Assert.Same(state, result.State);
    }

    [Fact]
    public void Decide_InitiatorApprovingUnderPreventSelfReview_IsRefusedWithTheReason()
    {
        var state = Open(Definition("alice, bob", preventSelfReview: true), initiator: "alice", commitAuthor: "bob");

        var byInitiator = state.Decide("alice", ReviewVerdict.Approve, null, Now);
        var byAuthor = state.Decide("bob", ReviewVerdict.Approve, null, Now);

        Assert.Equal(ApprovalRefusalKind.SelfReviewForbidden, byInitiator.Refusal!.Kind);
        Assert.Equal("alice cannot approve: alice started this run, and this environment forbids self-review", byInitiator.Refusal.Message);
        Assert.Equal(ApprovalRefusalKind.SelfReviewForbidden, byAuthor.Refusal!.Kind);
        Assert.Equal("bob cannot approve: bob wrote this run's commit, and this environment forbids self-review", byAuthor.Refusal.Message);
    }

    [Fact]
    public void Decide_InitiatorRejectingUnderPreventSelfReview_IsAccepted()
    {
        var state = Open(Definition("alice, bob", preventSelfReview: true), initiator: "alice");

        var result = state.Decide("alice", ReviewVerdict.Reject, "I found a bug, stop it", Now);

        Assert.True(result.Accepted);
        Assert.Equal(ApprovalStatus.Rejected, result.State.Status);
    }

    [Fact]
    public void Decide_SelfApprovalWithoutPreventSelfReview_IsAccepted()
    {
        var state = Open(Definition("alice"), initiator: "alice", commitAuthor: "alice");

        Assert.Equal(ApprovalStatus.Approved, state.Decide("alice", ReviewVerdict.Approve, null, Now).State.Status);
    }

    [Theory]
    [InlineData(ReviewVerdict.Approve)]
    [InlineData(ReviewVerdict.Reject)]
    public void Decide_AfterApproval_IsAlreadyDecided(ReviewVerdict verdict)
    {
        var approved = Open(Definition("alice, bob")).Decide("alice", ReviewVerdict.Approve, null, Now).State;

        var result = approved.Decide("bob", verdict, "late", Now.AddMinutes(1));

        Assert.Equal(ApprovalRefusalKind.AlreadyDecided, result.Refusal!.Kind);
        Assert.Equal("the approval was already approved at 2025-06-02 09:00:00Z", result.Refusal.Message);
        Assert.Same(approved, result.State);
    }

    [Fact]
    public void Decide_AfterRejection_IsAlreadyDecided()
    {
        var rejected = Open(Definition("alice, bob")).Decide("alice", ReviewVerdict.Reject, "no", Now).State;

        var result = rejected.Decide("bob", ReviewVerdict.Approve, null, Now);

        Assert.Equal(ApprovalRefusalKind.AlreadyDecided, result.Refusal!.Kind);
        Assert.Equal("the approval was already rejected at 2025-06-02 09:00:00Z", result.Refusal.Message);
    }

    [Fact]
    public void Decide_PastExpiryWithReject_IsRefusedAndTheStateIsExpired()
    {
        var state = Open(Definition("alice", expiresAfter: TimeSpan.FromHours(24)));

        _time.Advance(TimeSpan.FromHours(24));
        var result = state.Decide("alice", ReviewVerdict.Approve, null, Now);

        Assert.Equal(ApprovalRefusalKind.Expired, result.Refusal!.Kind);
        Assert.Equal("the approval expired at 2025-06-03 09:00:00Z and can no longer be decided", result.Refusal.Message);
        Assert.Equal(ApprovalStatus.Expired, result.State.Status);
        Assert.Equal(Start.AddHours(24), result.State.ClosedAt);
    }

    [Fact]
    public void Decide_JustBeforeExpiry_IsAccepted()
    {
        var state = Open(Definition("alice", expiresAfter: TimeSpan.FromHours(24)));

        _time.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));

        Assert.Equal(ApprovalStatus.Approved, state.Decide("alice", ReviewVerdict.Approve, null, Now).State.Status);
    }

    [Fact]
    public void Decide_PastExpiryWithKeepWaiting_IsAccepted()
    {
        var state = Open(Definition("alice", expiresAfter: TimeSpan.FromHours(1), onExpiry: ApprovalExpiryAction.KeepWaiting));

        _time.Advance(TimeSpan.FromDays(2));
        var result = state.Decide("alice", ReviewVerdict.Approve, null, Now);

        Assert.True(result.Accepted);
        Assert.Equal(ApprovalStatus.Approved, result.State.Status);
        Assert.Equal(Start.AddHours(1), result.State.ExpiredAt);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public void Decide_RejectionWithoutComment_IsInvalid(string? comment)
    {
        var state = Open(Definition("alice"));

        var result = state.Decide("alice", ReviewVerdict.Reject, comment, Now);

        Assert.Equal(ApprovalRefusalKind.InvalidComment, result.Refusal!.Kind);
        Assert.Equal("a rejection needs a comment saying why", result.Refusal.Message);
        Assert.Equal(ApprovalStatus.Pending, result.State.Status);
    }

    [Fact]
    public void Decide_CommentOverTheLimit_IsInvalid()
    {
        var state = Open(Definition("alice"));

        var result = state.Decide("alice", ReviewVerdict.Approve, new string('x', ApprovalState.MaxCommentLength + 1), Now);

        Assert.Equal(ApprovalRefusalKind.InvalidComment, result.Refusal!.Kind);
        Assert.Equal("the comment is 4001 characters long; the limit is 4000", result.Refusal.Message);
    }

    [Fact]
    public void Decide_NonReviewerOnADecidedApproval_IsNotAReviewer()
    {
        var approved = Open(Definition("alice")).Decide("alice", ReviewVerdict.Approve, null, Now).State;

        Assert.Equal(ApprovalRefusalKind.NotAReviewer, approved.Decide("mallory", ReviewVerdict.Approve, null, Now).Refusal!.Kind);
    }

    [Fact]
    public void Expire_BeforeExpiry_ReturnsTheSameState()
    {
        var state = Open(Definition("alice", expiresAfter: TimeSpan.FromMinutes(30)));

        _time.Advance(TimeSpan.FromMinutes(29));

        Assert.Same(state, state.Expire(Now));
    }

    [Fact]
    public void Expire_WithoutExpiry_NeverChanges()
    {
        var state = Open(Definition("alice"));

        Assert.Same(state, state.Expire(Now.AddYears(10)));
    }

    [Fact]
    public void Expire_RejectPolicy_EndsExpiredAtTheExpiryTime()
    {
        var state = Open(Definition("alice, bob", required: 2, expiresAfter: TimeSpan.FromMinutes(30)))
            .Decide("alice", ReviewVerdict.Approve, null, Now).State;

        var expired = state.Expire(Now.AddHours(5));

        Assert.Equal(ApprovalStatus.Expired, expired.Status);
        Assert.Equal(Start.AddMinutes(30), expired.ClosedAt);
        Assert.Equal(Start.AddMinutes(30), expired.ExpiredAt);
        Assert.Same(expired, expired.Expire(Now.AddHours(6)));
    }

    [Fact]
    public void Expire_KeepWaiting_StaysPendingAndNotesTheExpiryOnce()
    {
        var state = Open(Definition("alice", expiresAfter: TimeSpan.FromMinutes(30), onExpiry: ApprovalExpiryAction.KeepWaiting));

        var noted = state.Expire(Now.AddMinutes(30));

        Assert.NotSame(state, noted);
        Assert.Equal(ApprovalStatus.Pending, noted.Status);
        Assert.Equal(Start.AddMinutes(30), noted.ExpiredAt);
        Assert.Null(noted.ClosedAt);
        Assert.Same(noted, noted.Expire(Now.AddHours(3)));
    }

    [Fact]
    public void Expire_DecidedApproval_NeverChanges()
    {
        var approved = Open(Definition("alice", expiresAfter: TimeSpan.FromMinutes(30))).Decide("alice", ReviewVerdict.Approve, null, Now).State;

        Assert.Same(approved, approved.Expire(Now.AddDays(1)));
    }
}
