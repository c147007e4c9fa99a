using Microsoft.Extensions.Time.Testing;
using Shipgate.Delivery.Approvals;
using Shipgate.Delivery.Configuration;
using Shipgate.Delivery.Gates;
using Shipgate.Delivery.Tests.Approvals;
using Shipgate.Delivery.Tests.Configuration;
using static Shipgate.Delivery.Tests.Gates.FreezeCalendarTests;
using static Shipgate.Delivery.Tests.Gates.TestGates;

namespace Shipgate.Delivery.Tests.Gates;

public sealed class EnvironmentGatekeeperTests
{
    private static readonly ApprovalDefinition AliceOrReleaseManagers = TestApprovals.Definition("alice, team:release-managers", preventSelfReview: true);

    private readonly FakeTimeProvider _time = new(Requested);
    private readonly FakeTeamDirectory _teams = new(new() { ["release-managers"] = ["carol"] });
    private readonly EnvironmentGatekeeper _gatekeeper;

    public EnvironmentGatekeeperTests() => _gatekeeper = new EnvironmentGatekeeper(_time, _teams);

    private Task<EnvironmentGateOutcome> EvaluateAsync(EnvironmentGateRequest request) =>
        _gatekeeper.EvaluateAsync(request, TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

    [Fact]
    public async Task Evaluate_DeploymentMode_PassesAutomaticallyByPolicy()
    {
        var outcome = await EvaluateAsync(Request(Environment(EnvironmentMode.Deployment)));

        Assert.Equal(GateStatus.Pass, outcome.Status);
        var mode = Assert.Single(outcome.Gates);
        Assert.Equal((GateNames.Mode, GateStatus.Pass, "automatic by policy"), (mode.Gate, mode.Status, mode.Reason));
        Assert.Null(outcome.ApprovalToOpen);
        Assert.Equal(new ApprovalKey("run-1", "production"), outcome.Key);
        Assert.Equal(Requested, outcome.EvaluatedAt);
        Assert.Equal(0, _teams.Lookups);
    }

    [Fact]
    public async Task Evaluate_DeploymentModeWithAnApprovalBlock_AsksNobody()
    {
        var outcome = await EvaluateAsync(Request(Environment(EnvironmentMode.Deployment, approval: AliceOrReleaseManagers)));

        Assert.Equal(GateStatus.Pass, outcome.Status);
        Assert.Equal([GateNames.Mode], outcome.Gates.Select(g => g.Gate));
        Assert.Null(outcome.ApprovalToOpen);
    }

    [Fact]
    public async Task Evaluate_EveryGate_InTheDocumentedOrder()
    {
        var environment = Environment(
            EnvironmentMode.Delivery,
            branches: ["main"],
            approval: AliceOrReleaseManagers,
            waitTimer: TimeSpan.FromMinutes(10),
            freeze: [Window("0 0 1 1 *", TimeSpan.FromDays(1))]);

        var outcome = await EvaluateAsync(Request(environment));

        Assert.Equal([GateNames.Branch, GateNames.Freeze, GateNames.Approval, GateNames.WaitTimer], outcome.Gates.Select(g => g.Gate));
        Assert.Equal([GateStatus.Pass, GateStatus.Pass, GateStatus.Pending, GateStatus.Pending], outcome.Gates.Select(g => g.Status));
        Assert.Equal(GateStatus.Pending, outcome.Status);
        Assert.Equal("waiting for 1 approval from alice or team:release-managers", outcome.Result.Reason);
        Assert.Equal(Requested.AddMinutes(10), outcome.Result.RetryAt);
    }

    [Fact]
    public async Task Evaluate_DeliveryWithoutAnApproval_AsksToOpenOneWithTeamsExpanded()
    {
        var outcome = await EvaluateAsync(Request(Environment(EnvironmentMode.Delivery, approval: AliceOrReleaseManagers), initiator: "dave", commitAuthor: "erin"));

        Assert.Equal(GateStatus.Pending, outcome.Status);
        var policy = Assert.IsType<ApprovalPolicy>(outcome.ApprovalToOpen);
        Assert.Equal(["alice", "carol"], policy.Reviewers.Select(r => r.User));
        Assert.Equal(("dave", "erin"), (policy.Initiator, policy.CommitAuthor));
        var approval = outcome.Gates.Single(g => g.Gate == GateNames.Approval);
        Assert.Equal([new GateNumber("approvals", 0), new GateNumber("required", 1), new GateNumber("eligible", 2)], approval.Numbers);
        Assert.Null(approval.RetryAt);
    }

    [Fact]
    public async Task Evaluate_OpenedAndApproved_Passes()
    {
        var environment = Environment(EnvironmentMode.Delivery, approval: AliceOrReleaseManagers);
        var first = await EvaluateAsync(Request(environment));
        var opened = ApprovalState.Open(first.Key, first.ApprovalToOpen!, first.EvaluatedAt);

        _time.Advance(TimeSpan.FromMinutes(7));
        var waiting = await EvaluateAsync(Request(environment, approval: opened));
        var approved = opened.Decide("carol", ReviewVerdict.Approve, "ship it", _time.GetUtcNow()).State;
        var passed = await EvaluateAsync(Request(environment, approval: approved));

        Assert.Equal(GateStatus.Pending, waiting.Status);
        Assert.Null(waiting.ApprovalToOpen);
        Assert.Equal(GateStatus.Pass, passed.Status);
        Assert.Equal("approved by carol", passed.Gates.Single().Reason);
        Assert.Equal(1, _teams.Lookups);
    }

    [Fact]
    public async Task Evaluate_Rejected_FailsWithTheComment()
    {
        var environment = Environment(EnvironmentMode.Delivery, approval: AliceOrReleaseManagers);
        var rejected = TestApprovals.Open(AliceOrReleaseManagers).Decide("alice", ReviewVerdict.Reject, "the canary metrics look wrong", Requested).State;

        var outcome = await EvaluateAsync(Request(environment, approval: rejected));

        Assert.Equal(GateStatus.Fail, outcome.Status);
        Assert.Equal("rejected by alice: the canary metrics look wrong", outcome.Result.Reason);
    }

    [Fact]
    public async Task Evaluate_ApprovalWithExpiry_RetriesAtTheExpiryAndThenFails()
    {
        var definition = TestApprovals.Definition("alice, bob", required: 2, expiresAfter: TimeSpan.FromHours(24));
        var environment = Environment(EnvironmentMode.Delivery, approval: definition);
        var opened = ApprovalState.Open(new ApprovalKey("run-1", "production"), TestApprovals.Policy(definition), Requested)
            .Decide("alice", ReviewVerdict.Approve, null, Requested).State;

        var before = await EvaluateAsync(Request(environment, approval: opened));
        _time.Advance(TimeSpan.FromHours(24));
        var after = await EvaluateAsync(Request(environment, approval: opened));

        Assert.Equal(GateStatus.Pending, before.Status);
        Assert.Equal("waiting for 1 more approval from alice or bob until 2025-06-05 10:00 UTC", before.Result.Reason);
        Assert.Equal(Requested.AddHours(24), before.Result.RetryAt);
        Assert.Equal(GateStatus.Fail, after.Status);
        Assert.Equal("the approval expired after 1d with 1 of 2 approvals", after.Result.Reason);
    }

    [Fact]
    public async Task Evaluate_KeepWaitingPastExpiry_StaysPendingWithoutRetry()
    {
        var definition = TestApprovals.Definition("alice", expiresAfter: TimeSpan.FromHours(1), onExpiry: ApprovalExpiryAction.KeepWaiting);
        var environment = Environment(EnvironmentMode.Delivery, approval: definition);
        var opened = ApprovalState.Open(new ApprovalKey("run-1", "production"), TestApprovals.Policy(definition), Requested);

        _time.Advance(TimeSpan.FromHours(2));
        var outcome = await EvaluateAsync(Request(environment, approval: opened));

        Assert.Equal(GateStatus.Pending, outcome.Status);
        Assert.Equal("waiting for 1 approval from alice (past its expiry at 2025-06-04 11:00 UTC; it keeps waiting)", outcome.Result.Reason);
        Assert.Null(outcome.Result.RetryAt);
    }

    [Fact]
    public async Task Evaluate_OnlyReviewerIsTheInitiator_FailsAndOpensNothing()
    {
        var definition = TestApprovals.Definition("alice", preventSelfReview: true);

        var outcome = await EvaluateAsync(Request(Environment(EnvironmentMode.Delivery, approval: definition), initiator: "alice"));

        Assert.Equal(GateStatus.Fail, outcome.Status);
        Assert.Equal("the approval needs 1 approval but only 0 reviewers may approve (1 excluded by prevent-self-review)", outcome.Result.Reason);
        Assert.Null(outcome.ApprovalToOpen);
    }

    [Fact]
    public async Task Evaluate_WrongBranch_FailsAndOpensNoApproval()
    {
        var environment = Environment(EnvironmentMode.Delivery, branches: ["main"], approval: AliceOrReleaseManagers);

        var outcome = await EvaluateAsync(Request(environment, gitRef: "refs/heads/feature/x"));

        Assert.Equal(GateStatus.Fail, outcome.Status);
        Assert.Equal("'feature/x' may not deploy to production, which allows main", outcome.Result.Reason);
        Assert.Equal([GateStatus.Fail, GateStatus.Pending], outcome.Gates.Select(g => g.Status));
        Assert.Null(outcome.ApprovalToOpen);
    }

    [Fact]
    public async Task Evaluate_DuringAFreeze_OpensTheApprovalAndWaitsForTheWindowToo()
    {
        var environment = Environment(EnvironmentMode.Delivery, approval: AliceOrReleaseManagers, freeze: [Window("0 9 * * *", TimeSpan.FromHours(3))]);
        var approved = TestApprovals.Open(AliceOrReleaseManagers).Decide("alice", ReviewVerdict.Approve, null, Requested).State;

        var first = await EvaluateAsync(Request(environment));
        var withApproval = await EvaluateAsync(Request(environment, approval: approved));
        _time.Advance(TimeSpan.FromHours(2));
        var afterWindow = await EvaluateAsync(Request(environment, approval: approved));

        Assert.NotNull(first.ApprovalToOpen);
        Assert.Equal(GateStatus.Pending, withApproval.Status);
        Assert.Equal(GateNames.Freeze, withApproval.Gates.Single(g => g.Status == GateStatus.Pending).Gate);
        Assert.Equal(Requested.AddHours(2), withApproval.Result.RetryAt);
        Assert.Equal(GateStatus.Pass, afterWindow.Status);
    }

    [Fact]
    public async Task Evaluate_FreezeOverridden_Passes()
    {
        var environment = Environment(freeze: [Window("0 9 * * *", TimeSpan.FromHours(3))]);
        Assert.True(FreezeOverride.TryCreate("root", "security fix", Requested, out var granted, out _));

        var outcome = await EvaluateAsync(Request(environment, freezeOverride: granted));

        Assert.Equal(GateStatus.Pass, outcome.Status);
        Assert.Contains("overridden by root: security fix", outcome.Gates[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_ApprovalOfAnotherRun_Throws()
    {
        var environment = Environment(EnvironmentMode.Delivery, approval: AliceOrReleaseManagers);
        var other = ApprovalState.Open(new ApprovalKey("run-2", "production"), TestApprovals.Policy(AliceOrReleaseManagers), Requested);

        await Assert.ThrowsAsync<ArgumentException>(() => EvaluateAsync(Request(environment, approval: other)));
    }

    [Fact]
    public async Task Evaluate_DeliveryWithoutApprovalPolicy_Fails()
    {
        var outcome = await EvaluateAsync(Request(Environment(EnvironmentMode.Delivery)));

        Assert.Equal(GateStatus.Fail, outcome.Status);
        Assert.Equal("production is in delivery mode but has no approval policy", outcome.Result.Reason);
    }

    [Fact]
    public async Task Evaluate_FromShipgateYml_ProductionOfTheDesignExample()
    {
        var config = ShipgateConfigLoader.LoadText(TestConfigs.DesignExample).Config!;
        // Friday 6 June 2025 at 18:00 Berlin (16:00 UTC): inside the weekend freeze.
        _time.SetUtcNow(new DateTimeOffset(2025, 6, 6, 16, 0, 0, TimeSpan.Zero));
        var request = Request(config.FindEnvironment("production")!, initiator: "alice");

        var outcome = await EvaluateAsync(request);

        Assert.Equal([GateNames.Branch, GateNames.Freeze, GateNames.Approval], outcome.Gates.Select(g => g.Gate));
        Assert.Equal([GateStatus.Pass, GateStatus.Pending, GateStatus.Pending], outcome.Gates.Select(g => g.Status));
        Assert.Equal(new DateTimeOffset(2025, 6, 9, 6, 0, 0, TimeSpan.Zero), outcome.Result.RetryAt);
        Assert.Equal(["carol"], outcome.ApprovalToOpen!.EligibleApprovers);
    }
}
