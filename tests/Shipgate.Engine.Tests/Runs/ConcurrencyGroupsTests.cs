using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Tests.Runs;

public sealed class ConcurrencyGroupsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task EnterAsync_SecondHolder_WaitsUntilTheFirstLeaves()
    {
        var groups = new ConcurrencyGroups();
        using var first = await groups.EnterAsync("deploy", false, () => { }, TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken);
        var second = groups.EnterAsync("DEPLOY", false, () => { }, TestContext.Current.CancellationToken);

        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.False(second.IsCompleted);
        first!.Dispose();
        using var lease = await second.WaitAsync(Bound, TestContext.Current.CancellationToken);
        Assert.NotNull(lease);
    }

    [Fact]
    public async Task EnterAsync_NewcomerReplacesThePendingHolder()
    {
        var groups = new ConcurrencyGroups();
        using var running = await groups.EnterAsync("g", false, () => { }, TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken);
        var pending = groups.EnterAsync("g", false, () => { }, TestContext.Current.CancellationToken);
        var newcomer = groups.EnterAsync("g", false, () => { }, TestContext.Current.CancellationToken);

        Assert.Null(await pending.WaitAsync(Bound, TestContext.Current.CancellationToken));
        running!.Dispose();
        using var lease = await newcomer.WaitAsync(Bound, TestContext.Current.CancellationToken);
        Assert.NotNull(lease);
    }

    [Fact]
    public async Task EnterAsync_CancelInProgress_CancelsTheRunningHolder()
    {
        var groups = new ConcurrencyGroups();
        var cancelled = new TaskCompletionSource();
        var running = await groups.EnterAsync("g", false, cancelled.SetResult, TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken);
        var newcomer = groups.EnterAsync("g", true, () => { }, TestContext.Current.CancellationToken);

        await cancelled.Task.WaitAsync(Bound, TestContext.Current.CancellationToken);
        running!.Dispose();
        using var lease = await newcomer.WaitAsync(Bound, TestContext.Current.CancellationToken);
        Assert.NotNull(lease);
    }

    [Fact]
    public async Task EnterAsync_CancelledWhileWaiting_LeavesTheGroupUsable()
    {
        var groups = new ConcurrencyGroups();
        var running = await groups.EnterAsync("g", false, () => { }, TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken);
        using var cancel = new CancellationTokenSource();
        var waiting = groups.EnterAsync("g", false, () => { }, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Bound, TestContext.Current.CancellationToken));
        running!.Dispose();
        using var again = await groups.EnterAsync("g", false, () => { }, TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken);
        Assert.NotNull(again);
    }
}
