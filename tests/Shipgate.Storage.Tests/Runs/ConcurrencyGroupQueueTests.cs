using System.Collections.Concurrent;
using Shipgate.Engine.Runs;
using Shipgate.Storage.Runs;
using Shipgate.Storage.Tests.Infrastructure;

namespace Shipgate.Storage.Tests.Runs;

public abstract class ConcurrencyGroupQueueTests(StoreTarget target) : StoreTests(target)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Claim_GroupHasRunningRun_PendingRunWaits()
    {
        var project = await NewProjectAsync();
        var first = await QueueAsync(project.Id, "deploy");
        Assert.Equal(first.Run.Id, (await Store.Queue.ClaimNextRunAsync("a", Lease, Cancel).DefaultTimeout())!.Id);
        var second = await QueueAsync(project.Id, "DEPLOY");
        var other = await QueueAsync(project.Id, null);

        // The pending run is passed over; a run without a group is not held up by it.
        Assert.Equal(other.Run.Id, (await Store.Queue.ClaimNextRunAsync("a", Lease, Cancel).DefaultTimeout())!.Id);
        Assert.Null(await Store.Queue.ClaimNextRunAsync("a", Lease, Cancel).DefaultTimeout());

        Assert.True(await Store.Runs.TryCompleteRunAsync(first.Run.Id, RunStatus.InProgress, Conclusion.Success, cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal(second.Run.Id, (await Store.Queue.ClaimNextRunAsync("a", Lease, Cancel).DefaultTimeout())!.Id);
    }

    [Fact]
    public async Task Queue_GroupHasPendingRun_PendingReplacedAndCancelled()
    {
        var project = await NewProjectAsync();
        var first = await QueueAsync(project.Id, "deploy");
        await Store.Queue.ClaimNextRunAsync("a", Lease, Cancel).DefaultTimeout();
        var second = await QueueAsync(project.Id, "deploy");
        var third = await QueueAsync(project.Id, "Deploy");

        Assert.Empty(second.Replaced);
        Assert.Equal([second.Run.Id], third.Replaced);
        Assert.Empty(third.CancelRunning);
        var cancelled = await Store.Runs.GetRunAsync(second.Run.Id, Cancel).DefaultTimeout();
        Assert.Equal((RunStatus.Completed, Conclusion.Cancelled, "Canceling since a higher priority waiting request for 'Deploy' exists"), (cancelled!.Status, cancelled.Conclusion, cancelled.Reason));
        var finished = Assert.Single(await Store.Runs.ListEventsAsync(second.Run.Id, cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal("run.finished", finished.Kind);
        Assert.Contains("\"conclusion\":\"cancelled\"", finished.PayloadJson, StringComparison.Ordinal);
        Assert.Equal(RunStatus.InProgress, (await Store.Runs.GetRunAsync(first.Run.Id, Cancel).DefaultTimeout())!.Status);
    }

    [Fact]
    public async Task Queue_NothingRunningYet_OldestQueuedKeptAsTheOneAboutToStart()
    {
        var project = await NewProjectAsync();
        var first = await QueueAsync(project.Id, "deploy");
        var second = await QueueAsync(project.Id, "deploy");
        var third = await QueueAsync(project.Id, "deploy");

        Assert.Empty(second.Replaced);
        Assert.Equal([second.Run.Id], third.Replaced);
        Assert.Equal(first.Run.Id, (await Store.Queue.ClaimNextRunAsync("a", Lease, Cancel).DefaultTimeout())!.Id);
        Assert.Null(await Store.Queue.ClaimNextRunAsync("a", Lease, Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task Queue_CancelInProgress_RunningRunMarkedAndReturned()
    {
        var project = await NewProjectAsync();
        var first = await QueueAsync(project.Id, "deploy");
        await Store.Queue.ClaimNextRunAsync("server-a", Lease, Cancel).DefaultTimeout();

        var second = await QueueAsync(project.Id, "deploy", cancelInProgress: true);

        Assert.Equal([first.Run.Id], second.CancelRunning);
        var requests = await Store.Runs.ListCancelRequestsAsync("server-a", Cancel).DefaultTimeout();
        Assert.Equal([(first.Run.Id, "Canceling since a higher priority waiting request for 'deploy' exists")], requests);
        Assert.Empty(await Store.Runs.ListCancelRequestsAsync("server-b", Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task Queue_SameGroupNameInAnotherProject_Independent()
    {
        var web = await NewProjectAsync("web");
        var api = await NewProjectAsync("api");
        await QueueAsync(web.Id, "deploy");
        await Store.Queue.ClaimNextRunAsync("a", Lease, Cancel).DefaultTimeout();
        var other = await QueueAsync(api.Id, "deploy");

        Assert.Equal(other.Run.Id, (await Store.Queue.ClaimNextRunAsync("a", Lease, Cancel).DefaultTimeout())!.Id);
    }

    [Fact]
    public async Task ClaimNextRun_TwoStoresClaimingOneGroup_OnlyOneStarts()
    {
        var project = await NewProjectAsync();
        var free = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            free.Add((await QueueAsync(project.Id, null)).Run.Id);
        }

        // The group's two runs: the oldest about to start, one pending.
        await QueueAsync(project.Id, "deploy");
        await QueueAsync(project.Id, "deploy");

        await using var other = await Target.OpenAsync(Time, Cancel).DefaultTimeout();
        var claims = new ConcurrentBag<RunRecord>();
        async Task ClaimAllAsync(ShipgateStore store, string owner)
        {
            while (await store.Queue.ClaimNextRunAsync(owner, Lease, Cancel) is { } run)
            {
                claims.Add(run);
            }
        }

        await Task.WhenAll(
            Task.Run(() => ClaimAllAsync(Store, "a"), Cancel),
            Task.Run(() => ClaimAllAsync(other, "b"), Cancel),
            Task.Run(() => ClaimAllAsync(Store, "c"), Cancel),
            Task.Run(() => ClaimAllAsync(other, "d"), Cancel)).DefaultTimeout();

        Assert.Equal(11, claims.Count);
        Assert.Single(claims, run => run.ConcurrencyGroup == "deploy");
        Assert.Equal(free.Order(), claims.Where(run => run.ConcurrencyGroup is null).Select(run => run.Id).Order());
    }

    private Task<QueuedRun> QueueAsync(long projectId, string? group, bool cancelInProgress = false) =>
        Store.Runs.QueueRunAsync(new NewRun
        {
            ProjectId = projectId,
            WorkflowPath = ".github/workflows/deploy.yml",
            WorkflowName = "Deploy",
            Event = "workflow_dispatch",
            Ref = "refs/heads/main",
            Sha = "0123456789abcdef0123456789abcdef01234567",
            Actor = "alice",
            ConcurrencyGroup = group,
            CancelInProgress = cancelInProgress,
        }, Cancel).DefaultTimeout();

    public sealed class OnSqlite() : ConcurrencyGroupQueueTests(new SqliteStoreTarget());

    public sealed class OnPostgres(PostgresServer server) : ConcurrencyGroupQueueTests(new PostgresStoreTarget(server));
}
