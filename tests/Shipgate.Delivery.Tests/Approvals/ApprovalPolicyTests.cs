using Shipgate.Delivery.Approvals;
using static Shipgate.Delivery.Tests.Approvals.TestApprovals;

namespace Shipgate.Delivery.Tests.Approvals;

public sealed class ApprovalPolicyTests
{
    private static readonly FakeTeamDirectory Teams = new(new()
    {
        ["release-managers"] = ["carol", "dave"],
        ["sre"] = ["Dave", "erin"],
        ["empty"] = [],
    });

    [Fact]
    public void Resolve_Teams_AreExpandedToTheirMembersOnceEach()
    {
        var policy = Policy(Definition("alice, team:release-managers, team:sre"), teams: Teams);

        Assert.Equal(["alice", "carol", "dave", "erin"], policy.Reviewers.Select(r => r.User));
        Assert.Equal(["team:release-managers", "team:sre"], policy.Reviewers.Single(r => r.User == "dave").Via);
        Assert.Equal(["alice", "team:release-managers", "team:sre"], policy.ReviewerEntries);
        Assert.True(policy.IsReviewer("DAVE"));
        Assert.False(policy.IsReviewer("mallory"));
        Assert.Empty(policy.UnknownTeams);
    }

    [Fact]
    public async Task Resolve_UnknownTeam_IsNotedAndAddsNobody()
    {
        var teams = new FakeTeamDirectory();

        var policy = await ApprovalPolicy.ResolveAsync(Definition("alice, team:ghosts"), null, null, [], null, teams, TestContext.Current.CancellationToken)
            .AsTask().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(["alice"], policy.Reviewers.Select(r => r.User));
        Assert.Equal(["ghosts"], policy.UnknownTeams);
        Assert.Equal(1, teams.Lookups);
    }

    [Fact]
    public void Resolve_CopiesTheRulesAndTheRunsPeople()
    {
        var policy = Policy(Definition("alice, bob", required: 2, preventSelfReview: true, expiresAfter: TimeSpan.FromHours(1)), initiator: "bob", commitAuthor: "carol");

        Assert.Equal((2, true, "bob", "carol", TimeSpan.FromHours(1)), (policy.Required, policy.PreventSelfReview, policy.Initiator, policy.CommitAuthor, policy.ExpiresAfter));
    }

    [Fact]
    public void SelfReviewReason_NamesWhatTheUserDid()
    {
        var policy = Policy(Definition("alice, bob, carol", preventSelfReview: true), initiator: "alice", commitAuthor: "Bob");

        Assert.Equal("alice started this run, and this environment forbids self-review", policy.SelfReviewReason("alice"));
        Assert.Equal("bob wrote this run's commit, and this environment forbids self-review", policy.SelfReviewReason("bob"));
        Assert.Null(policy.SelfReviewReason("carol"));
        Assert.Equal(["carol"], policy.EligibleApprovers);
    }

    [Fact]
    public void SelfReviewReason_InitiatorWhoWroteTheCommit_SaysBoth()
    {
        var policy = Policy(Definition("alice", preventSelfReview: true), initiator: "alice", commitAuthor: "alice");

        Assert.Equal("alice started this run and wrote its commit, and this environment forbids self-review", policy.SelfReviewReason("alice"));
    }

    [Fact]
    public void SelfReviewReason_WithoutPreventSelfReview_IsNull()
    {
        var policy = Policy(Definition("alice"), initiator: "alice", commitAuthor: "alice");

        Assert.Null(policy.SelfReviewReason("alice"));
        Assert.True(policy.CanBeSatisfied);
    }

    [Fact]
    public void UnsatisfiableReason_TooFewEligible_SaysWhy()
    {
        var policy = Policy(Definition("alice, team:empty, team:ghosts", required: 2, preventSelfReview: true), initiator: "alice", teams: Teams);

        Assert.False(policy.CanBeSatisfied);
        Assert.Equal("the approval needs 2 approvals but only 0 reviewers may approve (1 excluded by prevent-self-review); unknown team: ghosts", policy.UnsatisfiableReason());
    }

    [Fact]
    public void UnsatisfiableReason_Satisfiable_IsNull() =>
        Assert.Null(Policy(Definition("alice, bob", required: 2)).UnsatisfiableReason());
}
