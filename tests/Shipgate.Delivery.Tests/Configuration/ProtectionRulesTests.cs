using Shipgate.Delivery.Approvals;
using Shipgate.Delivery.Configuration;
using Shipgate.Delivery.Gates;
using Shipgate.Delivery.Tests.Gates;
using static Shipgate.Delivery.Tests.Configuration.TestConfigs;

namespace Shipgate.Delivery.Tests.Configuration;

public sealed class ProtectionRulesTests
{
    private const string Trusted = """
        environments:
          production:
            branches: [main, release/*]
            wait-timer: 10m
            freeze:
              - cron: "0 17 * * FRI"
                duration: 63h
            approval:
              reviewers: [alice, bob, carol]
              required: 1
              expires-after: 1h
              instructions: Check the dashboard.
        """;

    [Fact]
    public void Tighten_CommitWithoutTheEnvironment_TheProtectedBranchRulesApply()
    {
        var result = Tighten(Trusted, "environments: {}\n");

        Assert.Equal(EnvironmentMode.Delivery, result.Effective!.Mode);
        Assert.Equal(["alice", "bob", "carol"], Reviewers(result));
        Assert.False(result.IsTightened);
    }

    [Fact]
    public void Tighten_CommitWithoutShipgateYml_TheProtectedBranchRulesApply()
    {
        var trusted = Valid(Trusted).FindEnvironment("production");

        var result = ProtectionRules.Tighten(trusted, null);

        Assert.Same(trusted, result.Effective);
        Assert.False(result.IsTightened);
    }

    [Fact]
    public void Tighten_CommitInDeploymentMode_StaysDelivery()
    {
        var result = Tighten(Trusted, Env("    mode: deployment\n"));

        Assert.Equal(EnvironmentMode.Delivery, result.Effective!.Mode);
        Assert.NotNull(result.Effective.Approval);
    }

    [Fact]
    public void Tighten_CommitInDeliveryModeWhereTheBranchDeploys_BecomesDelivery()
    {
        var result = Tighten(Env("    mode: deployment\n"), Env("    approval:\n      reviewers: [alice]\n"));

        Assert.Equal(EnvironmentMode.Delivery, result.Effective!.Mode);
        Assert.Equal(["alice"], Reviewers(result));
        Assert.Equal(["mode"], result.Tightened);
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(1, 1)]
    public void Tighten_Required_TheLargerApplies(int commitRequired, int expected)
    {
        var result = Tighten(Trusted, Env($"    approval:\n      reviewers: [alice, bob, carol]\n      required: {commitRequired}\n"));

        Assert.Equal(expected, result.Effective!.Approval!.Required);
        Assert.Equal(expected > 1, result.Tightened.Contains("approval.required"));
    }

    [Fact]
    public void Tighten_RequiredLowerThanTheProtectedBranch_KeepsTheProtectedCount()
    {
        var result = Tighten(Env("    approval:\n      reviewers: [alice, bob]\n      required: 2\n"), Env("    approval:\n      reviewers: [alice, bob]\n      required: 1\n"));

        Assert.Equal(2, result.Effective!.Approval!.Required);
        Assert.False(result.IsTightened);
    }

    [Fact]
    public void Tighten_AddedReviewer_IsIgnored()
    {
        var result = Tighten(Trusted, Env("    approval:\n      reviewers: [alice, mallory]\n"));

        Assert.Equal(["alice", "bob", "carol"], Reviewers(result));
        Assert.DoesNotContain("approval.reviewers", result.Tightened);
    }

    [Fact]
    public void Tighten_SubsetOfReviewers_NarrowsTheList()
    {
        var result = Tighten(Trusted, Env("    approval:\n      reviewers: [Alice, bob]\n      required: 2\n"));

        Assert.Equal(["Alice", "bob"], Reviewers(result));
        Assert.Equal(2, result.Effective!.Approval!.Required);
        Assert.Contains("approval.reviewers", result.Tightened);
    }

    [Fact]
    public void Tighten_SubsetTooSmallForTheProtectedCount_KeepsTheProtectedList()
    {
        var result = Tighten(Env("    approval:\n      reviewers: [alice, bob, carol]\n      required: 2\n"), Env("    approval:\n      reviewers: [alice]\n"));

        Assert.Equal(["alice", "bob", "carol"], Reviewers(result));
        Assert.Equal(2, result.Effective!.Approval!.Required);
    }

    [Fact]
    public void Tighten_PreventSelfReview_OnWhenEitherHasIt()
    {
        var on = Tighten(Trusted, Env("    approval:\n      reviewers: [alice, bob, carol]\n      prevent-self-review: true\n"));
        var off = Tighten(Env("    approval:\n      reviewers: [alice]\n      prevent-self-review: true\n"), Env("    approval:\n      reviewers: [alice]\n      prevent-self-review: false\n"));

        Assert.True(on.Effective!.Approval!.PreventSelfReview);
        Assert.Equal(UnknownAuthorsAction.Block, on.Effective.Approval.UnknownAuthors);
        Assert.Contains("approval.prevent-self-review", on.Tightened);
        Assert.True(off.Effective!.Approval!.PreventSelfReview);
        Assert.Equal(UnknownAuthorsAction.Block, off.Effective.Approval.UnknownAuthors);
    }

    [Fact]
    public void Tighten_UnknownAuthorsAllowInTheCommit_StaysBlock()
    {
        var result = Tighten(
            Env("    approval:\n      reviewers: [alice]\n      prevent-self-review: true\n"),
            Env("    approval:\n      reviewers: [alice]\n      prevent-self-review: true\n      unknown-authors: allow\n"));

        Assert.Equal(UnknownAuthorsAction.Block, result.Effective!.Approval!.UnknownAuthors);
    }

    [Fact]
    public void Tighten_WaitTimer_TheLongerApplies()
    {
        var longer = Tighten(Trusted, Env("    wait-timer: 1h\n"));
        var shorter = Tighten(Trusted, Env("    wait-timer: 1m\n"));

        Assert.Equal(TimeSpan.FromHours(1), longer.Effective!.WaitTimer);
        Assert.Equal(["wait-timer"], longer.Tightened);
        Assert.Equal(TimeSpan.FromMinutes(10), shorter.Effective!.WaitTimer);
        Assert.False(shorter.IsTightened);
    }

    [Fact]
    public void Tighten_Branches_BothMustMatch()
    {
        var result = Tighten(Trusted, Env("    branches: ['*']\n"));
        var gates = EnvironmentGatekeeper.GatesOf(result.Effective!);
        var context = new EnvironmentGateContext(TestGates.Request(result.Effective!, gitRef: "refs/heads/feature"), TestGates.Requested, null);
        var narrowed = Tighten(Trusted, Env("    branches: [release/*]\n")).Effective!;
        var mainOnNarrowed = new EnvironmentGateContext(TestGates.Request(narrowed, gitRef: "refs/heads/main"), TestGates.Requested, null);

        Assert.Contains(gates, g => g.Evaluate(context).Status == GateStatus.Fail);
        Assert.Contains(EnvironmentGatekeeper.GatesOf(narrowed), g => g.Evaluate(mainOnNarrowed).Status == GateStatus.Fail);
        Assert.Contains("branches", result.Tightened);
    }

    [Fact]
    public void Tighten_BranchesWhereTheProtectedBranchHasNone_ApplyAsWritten()
    {
        var result = Tighten(Env("    mode: deployment\n"), Env("    branches: [main]\n"));

        Assert.Equal(["main"], result.Effective!.Branches!.Select(p => p.Text));
        Assert.Null(result.Effective.NarrowedBranches);
    }

    [Fact]
    public void Tighten_Freeze_WindowsOfBoth()
    {
        var result = Tighten(Trusted, Env("    freeze:\n      - cron: \"0 0 * * *\"\n        duration: 1h\n"));

        Assert.Equal(2, result.Effective!.Freeze.Count);
        Assert.Contains("freeze", result.Tightened);
    }

    [Fact]
    public void Tighten_ExpiryAndInstructions_StayTheProtectedBranchs()
    {
        var result = Tighten(Trusted, Env("    approval:\n      reviewers: [alice, bob, carol]\n      expires-after: 30d\n      instructions: Just approve.\n"));

        Assert.Equal(TimeSpan.FromHours(1), result.Effective!.Approval!.ExpiresAfter);
        Assert.Equal("Check the dashboard.", result.Effective.Approval.Instructions);
        Assert.False(result.IsTightened);
    }

    [Fact]
    public void Tighten_NoProtectedRules_TheCommitsApply()
    {
        var commit = Valid(Env("    approval:\n      reviewers: [alice]\n")).FindEnvironment("production");

        var result = ProtectionRules.Tighten(null, commit);

        Assert.Same(commit, result.Effective);
        Assert.True(result.IsTightened);
    }

    [Fact]
    public void UnsatisfiableReason_UnknownAuthorBlocked_NamesTheCommit()
    {
        var policy = new ApprovalPolicy
        {
            Reviewers = [new ApprovalReviewer("alice", [])],
            PreventSelfReview = true,
            UnknownAuthor = "commit abc1234 by Eve <eve@example.com>",
            UnknownAuthors = UnknownAuthorsAction.Block,
        };

        Assert.StartsWith("commit abc1234 by Eve <eve@example.com> is an unknown author", policy.UnsatisfiableReason(), StringComparison.Ordinal);
    }

    [Fact]
    public void SelfReviewReason_ContributorOfAnEarlierCommit_NamesTheCommit()
    {
        var policy = new ApprovalPolicy
        {
            Reviewers = [new ApprovalReviewer("alice", [])],
            PreventSelfReview = true,
            Contributors = [new ReleaseContributor("alice", "committed", "0123456789abcdef")],
        };

        Assert.Equal("Alice committed commit 0123456 of this release, and this environment forbids self-review", policy.SelfReviewReason("Alice"));
    }

    [Fact]
    public void Tighten_CommitDropsSmokeAndChangesDeploySettings_TheProtectedOnesApplyAndItsOwnChecksAreAdded()
    {
        var result = Tighten(
            Env("    mode: deployment\n    strategy: blue-green\n    watch: 5m\n    rollback-window: 1h\n    smoke:\n      - path: /health\n    hosts: [shop.example.com]\n"),
            Env("    mode: deployment\n    strategy: rolling\n    watch: 0s\n    rollback: manual\n    smoke:\n      - path: /extra\n    hosts: [bank.example.com]\n"));

        var effective = result.Effective!;
        Assert.Equal("blue-green", effective.Strategy.Name);
        Assert.Equal((TimeSpan.FromMinutes(5), TimeSpan.FromHours(1), RollbackMode.Automatic), (effective.Watch, effective.RollbackWindow, effective.Rollback));
        Assert.Equal(["/health", "/extra"], effective.Smoke.Select(c => c.Path));
        Assert.Equal(["shop.example.com"], effective.Hosts);
        Assert.Contains("smoke", result.Tightened);
    }

    [Fact]
    public void Tighten_SameSmokeChecksOnBothSides_EachRunsOnce()
    {
        const string Same = "    mode: deployment\n    smoke:\n      - path: /\n        body-contains: hello\n";

        var result = Tighten(Env(Same), Env("\n" + Same));

        Assert.Single(result.Effective!.Smoke);
        Assert.DoesNotContain("smoke", result.Tightened);
    }

    private static string Env(string body) => "environments:\n  production:\n" + body;

    private static ProtectionRulesResult Tighten(string trusted, string commit) =>
        ProtectionRules.Tighten(Valid(trusted).FindEnvironment("production"), Valid(commit).FindEnvironment("production"));

    private static IEnumerable<string> Reviewers(ProtectionRulesResult result) => result.Effective!.Approval!.Reviewers.Select(r => r.ToString());
}
