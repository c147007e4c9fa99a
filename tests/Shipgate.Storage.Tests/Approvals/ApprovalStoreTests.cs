using Shipgate.Storage.Approvals;
using Shipgate.Storage.Audit;
using Shipgate.Storage.Runs;
using Shipgate.Storage.Tests.Infrastructure;

namespace Shipgate.Storage.Tests.Approvals;

public abstract class ApprovalStoreTests(StoreTarget target) : StoreTests(target)
{
    [Fact]
    public async Task Request_EveryField_RoundTrips()
    {
        var run = await NewRunAsync((await NewProjectAsync()).Id);
        var expires = StoredNow.AddHours(24);

        var approval = await Store.Approvals.RequestAsync(NewEnvironmentApproval(run, "production") with { ExpiresAt = expires }, cancellationToken: Cancel).DefaultTimeout();

        var expected = new ApprovalRecord(approval.Id, run.Id, 1, run.ProjectId, "production", null, ApprovalKind.Environment, "Deploy web to production", "Check the canary first.",
            approval.Reviewers, 2, true, "alice", ApprovalStatus.Pending, StoredNow, null, expires);
        Assert.Equal(expected, approval);
        Assert.Equal(["bob", "team:release-managers"], approval.Reviewers);
        var read = await Store.Approvals.GetAsync(approval.Id, Cancel).DefaultTimeout();
        Assert.Equal(expected with { Reviewers = read!.Reviewers }, read);
        Assert.Equal(approval.Reviewers, read.Reviewers);
    }

    [Fact]
    public async Task Request_SameRunAndEnvironmentTwice_SharesOneApproval()
    {
        var run = await NewRunAsync((await NewProjectAsync()).Id);

        var legOne = await Store.Approvals.RequestAsync(NewEnvironmentApproval(run, "production") with { JobKey = "deploy (1)" }, cancellationToken: Cancel).DefaultTimeout();
        var legTwo = await Store.Approvals.RequestAsync(NewEnvironmentApproval(run, "production") with { JobKey = "deploy (2)" }, cancellationToken: Cancel).DefaultTimeout();
        var staging = await Store.Approvals.RequestAsync(NewEnvironmentApproval(run, "staging"), cancellationToken: Cancel).DefaultTimeout();
        var manual = await Store.Approvals.RequestAsync(NewEnvironmentApproval(run, "production") with { Kind = ApprovalKind.ManualApproval }, cancellationToken: Cancel).DefaultTimeout();

        Assert.Equal(legOne.Id, legTwo.Id);
        Assert.Equal(3, new[] { legOne.Id, staging.Id, manual.Id }.Distinct().Count());
        Assert.Equal(3, (await Store.Approvals.ListAsync(new ApprovalQuery { RunId = run.Id }, Cancel).DefaultTimeout()).Count);
    }

    [Fact]
    public async Task AddDecision_SameUserTwice_CountsOnce()
    {
        var run = await NewRunAsync((await NewProjectAsync()).Id);
        var approval = await Store.Approvals.RequestAsync(NewEnvironmentApproval(run, "production"), cancellationToken: Cancel).DefaultTimeout();

        var first = await Store.Approvals.AddDecisionAsync(approval.Id, "bob", ApprovalDecision.Approved, "looks good", cancellationToken: Cancel).DefaultTimeout();
        var again = await Store.Approvals.AddDecisionAsync(approval.Id, "bob", ApprovalDecision.Rejected, "changed my mind", cancellationToken: Cancel).DefaultTimeout();
        var carol = await Store.Approvals.AddDecisionAsync(approval.Id, "carol", ApprovalDecision.Approved, cancellationToken: Cancel).DefaultTimeout();

        Assert.Equal(new DecisionResult(DecisionOutcome.Recorded, 1, 0), first);
        Assert.Equal(new DecisionResult(DecisionOutcome.AlreadyDecided, 1, 0), again);
        Assert.Equal(new DecisionResult(DecisionOutcome.Recorded, 2, 0), carol);
        Assert.Equal(
            [new ApprovalDecisionRecord(approval.Id, "bob", ApprovalDecision.Approved, "looks good", StoredNow), new ApprovalDecisionRecord(approval.Id, "carol", ApprovalDecision.Approved, null, StoredNow)],
            await Store.Approvals.ListDecisionsAsync(approval.Id, Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task AddDecision_ManyConcurrentlyBySameUser_OneRecorded()
    {
        var run = await NewRunAsync((await NewProjectAsync()).Id);
        var approval = await Store.Approvals.RequestAsync(NewEnvironmentApproval(run, "production"), cancellationToken: Cancel).DefaultTimeout();

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Store.Approvals.AddDecisionAsync(approval.Id, "bob", ApprovalDecision.Approved, cancellationToken: Cancel))).DefaultTimeout();

        Assert.Single(results, r => r.Outcome == DecisionOutcome.Recorded);
        Assert.All(results, r => Assert.Equal(1, r.Approvals));
    }

    [Fact]
    public async Task TryComplete_Pending_OnceThenDecisionsRefused()
    {
        var run = await NewRunAsync((await NewProjectAsync()).Id);
        var approval = await Store.Approvals.RequestAsync(NewEnvironmentApproval(run, "production"), cancellationToken: Cancel).DefaultTimeout();
        await Store.Approvals.AddDecisionAsync(approval.Id, "bob", ApprovalDecision.Rejected, "not now", cancellationToken: Cancel).DefaultTimeout();

        Assert.True(await Store.Approvals.TryCompleteAsync(approval.Id, ApprovalStatus.Rejected, cancellationToken: Cancel).DefaultTimeout());
        Assert.False(await Store.Approvals.TryCompleteAsync(approval.Id, ApprovalStatus.Approved, cancellationToken: Cancel).DefaultTimeout());

        Assert.Equal(new DecisionResult(DecisionOutcome.NotPending, 0, 1), await Store.Approvals.AddDecisionAsync(approval.Id, "carol", ApprovalDecision.Approved, cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal(DecisionOutcome.NotFound, (await Store.Approvals.AddDecisionAsync(approval.Id + 1000, "carol", ApprovalDecision.Approved, cancellationToken: Cancel).DefaultTimeout()).Outcome);
        var read = await Store.Approvals.GetAsync(approval.Id, Cancel).DefaultTimeout();
        Assert.Equal((ApprovalStatus.Rejected, (DateTimeOffset?)StoredNow), (read!.Status, read.DecidedAt));
    }

    [Fact]
    public async Task ListExpiredPending_PastExpiry_Listed()
    {
        var run = await NewRunAsync((await NewProjectAsync()).Id);
        var soon = await Store.Approvals.RequestAsync(NewEnvironmentApproval(run, "production") with { ExpiresAt = StoredNow.AddHours(1) }, cancellationToken: Cancel).DefaultTimeout();
        await Store.Approvals.RequestAsync(NewEnvironmentApproval(run, "staging") with { ExpiresAt = StoredNow.AddHours(3) }, cancellationToken: Cancel).DefaultTimeout();
        await Store.Approvals.RequestAsync(NewEnvironmentApproval(run, "qa"), cancellationToken: Cancel).DefaultTimeout();

        Time.Advance(TimeSpan.FromHours(2));

        Assert.Equal([soon.Id], (await Store.Approvals.ListExpiredPendingAsync(Cancel).DefaultTimeout()).Select(a => a.Id));
        Assert.Equal(3, (await Store.Approvals.ListAsync(new ApprovalQuery { Status = ApprovalStatus.Pending, ProjectId = run.ProjectId }, Cancel).DefaultTimeout()).Count);
    }

    [Fact]
    public async Task AddDecision_WithAuditEntry_BothCommitTogether()
    {
        var run = await NewRunAsync((await NewProjectAsync()).Id);
        var approval = await Store.Approvals.RequestAsync(NewEnvironmentApproval(run, "production"), cancellationToken: Cancel).DefaultTimeout();
        var audit = new NewAuditEntry { Actor = "bob", Action = "approval.approve", Target = $"approval/{approval.Id}", AfterJson = "{\"decision\":\"approved\"}" };

        await Store.Approvals.AddDecisionAsync(approval.Id, "bob", ApprovalDecision.Approved, audit: audit, cancellationToken: Cancel).DefaultTimeout();
        await Store.Approvals.AddDecisionAsync(approval.Id, "bob", ApprovalDecision.Approved, audit: audit, cancellationToken: Cancel).DefaultTimeout();

        var entry = Assert.Single(await Store.Audit.ListAsync(cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal(("bob", "approval.approve", $"approval/{approval.Id}"), (entry.Actor, entry.Action, entry.Target));
    }

    [Fact]
    public async Task CompleteRun_WithPendingApprovals_EndsThemCancelledAuditedAndStreamed()
    {
        var run = await NewRunAsync((await NewProjectAsync()).Id);
        var pending = await Store.Approvals.RequestAsync(NewEnvironmentApproval(run, "production"), cancellationToken: Cancel).DefaultTimeout();
        var decided = await Store.Approvals.RequestAsync(NewEnvironmentApproval(run, "staging"), cancellationToken: Cancel).DefaultTimeout();
        Assert.True(await Store.Approvals.TryCompleteAsync(decided.Id, ApprovalStatus.Approved, cancellationToken: Cancel).DefaultTimeout());

        Assert.True(await Store.Runs.TryCompleteRunAsync(run.Id, RunStatus.Queued, Engine.Runs.Conclusion.Cancelled, "cancelled by bob", Cancel).DefaultTimeout());

        Assert.Equal(ApprovalStatus.Cancelled, (await Store.Approvals.GetAsync(pending.Id, Cancel).DefaultTimeout())!.Status);
        Assert.Equal(ApprovalStatus.Approved, (await Store.Approvals.GetAsync(decided.Id, Cancel).DefaultTimeout())!.Status);
        Assert.Equal([pending.Id], (await Store.Approvals.ListAsync(new ApprovalQuery { Status = ApprovalStatus.Cancelled }, Cancel).DefaultTimeout()).Select(a => a.Id));
        var entry = Assert.Single(await Store.Audit.ListAsync(cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal(("shipgate", "approval.cancel", $"approval/{pending.Id}"), (entry.Actor, entry.Action, entry.Target));
        var streamed = Assert.Single(await Store.Runs.ListEventsAsync(run.Id, cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal("approval.cancelled", streamed.Kind);
        var decision = await Store.Approvals.AddDecisionAsync(pending.Id, "bob", ApprovalDecision.Approved, cancellationToken: Cancel).DefaultTimeout();
        Assert.Equal(DecisionOutcome.NotPending, decision.Outcome);
    }

    private static NewApproval NewEnvironmentApproval(RunRecord run, string environment) => new()
    {
        RunId = run.Id,
        ProjectId = run.ProjectId,
        Kind = ApprovalKind.Environment,
        Environment = environment,
        Title = "Deploy web to production",
        Body = "Check the canary first.",
        Reviewers = ["bob", "team:release-managers"],
        Required = 2,
        PreventSelfReview = true,
        Initiator = "alice",
    };

    public sealed class OnSqlite() : ApprovalStoreTests(new SqliteStoreTarget());

    public sealed class OnPostgres(PostgresServer server) : ApprovalStoreTests(new PostgresStoreTarget(server));
}
