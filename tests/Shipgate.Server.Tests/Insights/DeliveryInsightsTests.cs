using Shipgate.Server.Api;
using Shipgate.Server.Insights;
using Shipgate.Storage.Approvals;
using Shipgate.Storage.Deployments;
using Shipgate.Storage.Tests.Infrastructure;
using static Shipgate.Server.Tests.Insights.DeliveryHistory;

namespace Shipgate.Server.Tests.Insights;

/// <summary>
/// The numbers on histories whose right answers are worked out by hand in each test's comments, on a real SQLite file
/// and on the real PostgreSQL (the same SQL serves both).
/// </summary>
public abstract class DeliveryInsightsTests : IAsyncLifetime
{
    private static readonly TimeSpan H = TimeSpan.FromHours(1);

    private static readonly InsightsPeriod TenDays = new(T0, T0.AddDays(10));

    private DeliveryHistory _history = null!;

    protected abstract Task<string?> ConnectionStringAsync();

    public async ValueTask InitializeAsync() => _history = await DeliveryHistory.OpenAsync(await ConnectionStringAsync());

    public async ValueTask DisposeAsync()
    {
        await _history.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Compute_NoHistory_EveryMeasureWithoutData()
    {
        var insights = await ComputeAsync(TenDays);

        var overall = insights.Overall;
        Assert.Equal((0, 0, 0, 0), (overall.Deployments, overall.Succeeded, overall.Failed, overall.RolledBack));
        Assert.Null(overall.DeploymentFrequency);
        Assert.Null(overall.LeadTime);
        Assert.Null(overall.ChangeFailRate);
        Assert.Null(overall.RecoveryTime);
        Assert.Null(overall.ReworkRate);
        Assert.Equal((0, 0), (overall.LeadTimeUnknown, overall.Unrecovered));
        Assert.Empty(insights.Environments);
        var approvals = insights.Approvals.Overall;
        Assert.Equal((0, 0, 0, null, null), (approvals.Decided, approvals.Expired, approvals.WaitingNow, approvals.Wait, approvals.OldestWaitingSince));
        Assert.Empty(insights.Approvals.Environments);
        Assert.Empty(insights.Approvals.Reviewers);
    }

    [Fact]
    public async Task Compute_OneDeployment_LeadTimeFromItsCommitAndNoFailure()
    {
        // Committed at T0, succeeded at T0+1h: lead time 1h. 1 success in 10 days: 0.1 a day, 0.7 a week.
        await _history.DeployAsync("api", "production", "1.0.0", T0, T0 + (0.5 * H), T0 + H, DeploymentStatus.Succeeded);
        // Still progressing: not an ended deployment.
        await _history.StartOnlyAsync("api", "production", "1.1.0", T0 + (2 * H));

        var overall = (await ComputeAsync(TenDays)).Overall;

        Assert.Equal((1, 1, 0, 0), (overall.Deployments, overall.Succeeded, overall.Failed, overall.RolledBack));
        Assert.Equal(new FrequencyResponse(0.1, 0.7), overall.DeploymentFrequency);
        Assert.Equal(new DurationStatsResponse(3600, 3600, 1), overall.LeadTime);
        Assert.Equal(new RateResponse(0, 1, 0), overall.ChangeFailRate);
        Assert.Null(overall.RecoveryTime);
        Assert.Equal(0, overall.Unrecovered);
        Assert.Equal(new RateResponse(0, 1, 0), overall.ReworkRate);
    }

    [Fact]
    public async Task Compute_FailureRecoveryRollbackAndAbortedCanary_EveryMeasureAsWorkedOut()
    {
        await SeedProductionAsync();

        var insights = await ComputeAsync(TenDays);

        // D1..D6 all ended in the period: 4 succeeded (D1, D3, D4, D5), D2 failed, D6 rolled back.
        var overall = insights.Overall;
        Assert.Equal((6, 4, 1, 1), (overall.Deployments, overall.Succeeded, overall.Failed, overall.RolledBack));
        // 4 successes in 10 days.
        Assert.Equal(new FrequencyResponse(0.4, 2.8), overall.DeploymentFrequency);
        // D3 1h30m, D1 2h, D4 4h (D5 is a rollback: its change was delivered before). Median 2h; p90 at rank 1.8: 2h + 0.8 × 2h = 3h36m.
        Assert.Equal(new DurationStatsResponse(7200, 12960, 3), overall.LeadTime);
        // D2 failed, D4 undone by `shipgate rollback` (D5), D6 rolled back: 3 of 6.
        Assert.Equal(new RateResponse(3, 6, 0.5), overall.ChangeFailRate);
        // D2 → D3 2h, D4 → D5 2h; nothing has followed D6 yet.
        Assert.Equal(new DurationStatsResponse(7200, 7200, 2), overall.RecoveryTime);
        Assert.Equal(1, overall.Unrecovered);
        // D3 (1h after D2 failed) and D5 (a rollback): 2 of 6.
        Assert.Equal(new RateResponse(2, 6, 0.3333), overall.ReworkRate);
        var production = Assert.Single(insights.Environments);
        Assert.Equal(("shop", "production"), (production.Project, production.Environment));
        Assert.Equal(overall with { Project = "shop", Environment = "production" }, production);
    }

    [Fact]
    public async Task Compute_PeriodEndingBeforeADeploymentEnds_LeavesItOutButFindsRecoveriesAfterIt()
    {
        await SeedProductionAsync();

        // Up to T0+1d+1h30m: D4 (created T0+1d+1h, ended T0+1d+2h) is cut off; D1, D2, D3 count.
        var insights = await ComputeAsync(new InsightsPeriod(T0, T0 + TimeSpan.FromDays(1) + (1.5 * H)));

        var overall = insights.Overall;
        Assert.Equal((3, 2, 1, 0), (overall.Deployments, overall.Succeeded, overall.Failed, overall.RolledBack));
        // 2 successes in 1.0625 days.
        Assert.Equal(new FrequencyResponse(1.882, 13.176), overall.DeploymentFrequency);
        // D3 1h30m, D1 2h: median 1h45m; p90 1h30m + 0.9 × 30m = 1h57m.
        Assert.Equal(new DurationStatsResponse(6300, 7020, 2), overall.LeadTime);
        Assert.Equal(new RateResponse(1, 3, 0.3333), overall.ChangeFailRate);
        Assert.Equal(new DurationStatsResponse(7200, 7200, 1), overall.RecoveryTime);
        Assert.Equal(new RateResponse(1, 3, 0.3333), overall.ReworkRate);
    }

    [Fact]
    public async Task Compute_PeriodStartingAfterAFailure_CountsTheFixAsReworkButNotTheFailure()
    {
        await SeedProductionAsync();

        // From T0+6h30m: only D3 ended in it; D2's failure (T0+5h) is before, so D3 is rework and nothing failed.
        var overall = (await ComputeAsync(new InsightsPeriod(T0 + (6.5 * H), T0 + TimeSpan.FromDays(1) + (1.5 * H)))).Overall;

        Assert.Equal((1, 1), (overall.Deployments, overall.Succeeded));
        Assert.Equal(new DurationStatsResponse(5400, 5400, 1), overall.LeadTime);
        Assert.Equal(new RateResponse(0, 1, 0), overall.ChangeFailRate);
        Assert.Null(overall.RecoveryTime);
        Assert.Equal(new RateResponse(1, 1, 1), overall.ReworkRate);
    }

    [Fact]
    public async Task Compute_PeriodWithTheRollbackAndTheAbortedCanary_CountsTheUndoneDeploymentAsFailed()
    {
        await SeedProductionAsync();

        // T0+1d to T0+3d: D4 (undone), D5 (the rollback), D6 (rolled back, not recovered).
        var overall = (await ComputeAsync(new InsightsPeriod(T0.AddDays(1), T0.AddDays(3)))).Overall;

        Assert.Equal((3, 2, 0, 1), (overall.Deployments, overall.Succeeded, overall.Failed, overall.RolledBack));
        Assert.Equal(new DurationStatsResponse(14400, 14400, 1), overall.LeadTime);
        Assert.Equal(new RateResponse(2, 3, 0.6667), overall.ChangeFailRate);
        Assert.Equal(new DurationStatsResponse(7200, 7200, 1), overall.RecoveryTime);
        Assert.Equal(1, overall.Unrecovered);
        Assert.Equal(new RateResponse(1, 3, 0.3333), overall.ReworkRate);
    }

    [Fact]
    public async Task Compute_ReleaseWithoutCommitTime_LeftOutOfLeadTimeAndCounted()
    {
        // A release recorded before the store kept commit times.
        await _history.DeployAsync("api", "production", "0.9.0", null, T0 + H, T0 + (2 * H), DeploymentStatus.Succeeded);

        var overall = (await ComputeAsync(TenDays)).Overall;

        Assert.Equal(1, overall.Succeeded);
        Assert.Null(overall.LeadTime);
        Assert.Equal(1, overall.LeadTimeUnknown);
    }

    [Fact]
    public async Task Compute_SeveralProjectsAndEnvironments_OneRowEachAndFilters()
    {
        // shop/api: staging at T0+1h30m (lead 1h30m), production at T0+3h (lead 3h); blog/web fails in production.
        await _history.DeployAsync("api", "staging", "1.0.0", T0, T0 + H, T0 + (1.5 * H), DeploymentStatus.Succeeded);
        await _history.DeployAsync("api", "production", "1.0.0", T0, T0 + (2 * H), T0 + (3 * H), DeploymentStatus.Succeeded);
        await _history.DeployAsync("web", "production", "w1", T0 + H, T0 + (4 * H), T0 + (5 * H), DeploymentStatus.Failed, project: "blog");

        var all = await ComputeAsync(TenDays);
        var production = await ComputeAsync(TenDays, environment: "PRODUCTION");
        var shop = await ComputeAsync(TenDays, projectId: await _history.ProjectAsync("shop"));

        Assert.Equal((3, 2, 1), (all.Overall.Deployments, all.Overall.Succeeded, all.Overall.Failed));
        Assert.Equal(new DurationStatsResponse(8100, 10260, 2), all.Overall.LeadTime);
        Assert.Equal([("blog", "production", 1), ("shop", "production", 1), ("shop", "staging", 1)], all.Environments.Select(e => (e.Project!, e.Environment!, e.Deployments)));
        Assert.Equal(new RateResponse(1, 1, 1), all.Environments[0].ChangeFailRate);
        Assert.Equal(1, all.Environments[0].Unrecovered);
        Assert.Equal(new DurationStatsResponse(5400, 5400, 1), all.Environments[2].LeadTime);
        Assert.Equal((2, 1), (production.Overall.Deployments, production.Overall.Failed));
        Assert.Equal(["blog", "shop"], production.Environments.Select(e => e.Project));
        Assert.Equal((2, 0), (shop.Overall.Deployments, shop.Overall.Failed));
        Assert.Equal(["production", "staging"], shop.Environments.Select(e => e.Environment));
    }

    [Fact]
    public async Task Compute_ApprovalsDecidedExpiredAndWaiting_WaitsPerEnvironmentAndReviewer()
    {
        // Before the period: one still waiting (asked T0-3d), one decided (bob, T0-1d) that does not count.
        var waitingLong = await _history.RequestApprovalAsync("production", T0.AddDays(-3));
        var old = await _history.RequestApprovalAsync("production", T0.AddDays(-2));
        await _history.DecideAsync(old, "bob", ApprovalDecision.Approved, T0.AddDays(-1));
        // In it: bob approves after 1h, carol rejects after 3h, a staging approval expires, another waits.
        var first = await _history.RequestApprovalAsync("production", T0 + H);
        await _history.DecideAsync(first, "bob", ApprovalDecision.Approved, T0 + (2 * H));
        var second = await _history.RequestApprovalAsync("production", T0 + (3 * H));
        var expiring = await _history.RequestApprovalAsync("staging", T0 + (4 * H));
        await _history.DecideAsync(second, "carol", ApprovalDecision.Rejected, T0 + (6 * H));
        await _history.ExpireAsync(expiring, T0.AddDays(1));
        await _history.RequestApprovalAsync("production", T0.AddDays(5));

        var approvals = (await ComputeAsync(TenDays)).Approvals;

        // Waits 1h and 3h: median 2h, p90 1h + 0.9 × 2h = 2h48m.
        var overall = approvals.Overall;
        Assert.Equal((2, 1, 2), (overall.Decided, overall.Expired, overall.WaitingNow));
        Assert.Equal(new DurationStatsResponse(7200, 10080, 2), overall.Wait);
        Assert.Equal(T0.AddDays(-3), overall.OldestWaitingSince);
        Assert.Equal([("production", 2, 0, 2), ("staging", 0, 1, 0)], approvals.Environments.Select(e => (e.Environment!, e.Decided, e.Expired, e.WaitingNow)));
        Assert.Null(approvals.Environments[1].Wait);
        Assert.Equal(
            [
                new ReviewerWaitResponse("bob", 1, 0, new DurationStatsResponse(3600, 3600, 1)),
                new ReviewerWaitResponse("carol", 0, 1, new DurationStatsResponse(10800, 10800, 1)),
            ],
            approvals.Reviewers);
        Assert.NotEqual(0, waitingLong);
    }

    /// <summary>
    /// shop/api in production: D1 succeeds; D2 fails; D3 fixes it an hour later; D4 succeeds and is undone by a
    /// <c>shipgate rollback</c> (D5) back to D3's release; the canary D6 is rolled back and nothing follows it.
    /// </summary>
    private async Task SeedProductionAsync()
    {
        var day = TimeSpan.FromDays(1);
        await _history.DeployAsync("api", "production", "1", T0, T0 + H, T0 + (2 * H), DeploymentStatus.Succeeded);
        await _history.DeployAsync("api", "production", "2", T0 + (3 * H), T0 + (4 * H), T0 + (5 * H), DeploymentStatus.Failed);
        await _history.DeployAsync("api", "production", "3", T0 + (5.5 * H), T0 + (6 * H), T0 + (7 * H), DeploymentStatus.Succeeded);
        await _history.DeployAsync("api", "production", "4", T0 + day - (2 * H), T0 + day + H, T0 + day + (2 * H), DeploymentStatus.Succeeded);
        await _history.DeployAsync("api", "production", "3", null, T0 + day + (3 * H), T0 + day + (4 * H), DeploymentStatus.Succeeded, strategy: DeliveryInsights.RollbackStrategy);
        await _history.DeployAsync("api", "production", "5", T0 + (2 * day) - H, T0 + (2 * day), T0 + (2 * day) + H, DeploymentStatus.RolledBack, strategy: "canary");
    }

    private Task<InsightsResponse> ComputeAsync(InsightsPeriod period, long? projectId = null, string? environment = null) =>
        new DeliveryInsights(_history.Time).ComputeAsync(_history.Store, projectId, null, environment, period, Ct).DefaultTimeout();

    public sealed class OnSqlite : DeliveryInsightsTests
    {
        protected override Task<string?> ConnectionStringAsync() => Task.FromResult<string?>(null);
    }

    public sealed class OnPostgres(PostgresServer postgres) : DeliveryInsightsTests, IClassFixture<PostgresServer>
    {
        protected override async Task<string?> ConnectionStringAsync() => await postgres.CreateSchemaAsync(Ct);
    }
}
