using Shipgate.Server.Hosting;
using Shipgate.Server.Runs;
using Shipgate.Storage.Runs;

namespace Shipgate.Server.Approvals;

/// <summary>
/// A run's <c>waiting</c> status while any of its jobs waits at a gate (an approval, a wait timer, a freeze,
/// a deployment queue): waiting from the first waiter on, in progress again when the last stops waiting.
/// </summary>
internal sealed class RunWaiting(ServerStore store, RunEventHub hub, long runId)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private int _waiters;

    public async Task EnterAsync()
    {
        await _lock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_waiters++ == 0)
            {
                await store.Store.Runs.TryTransitionRunAsync(runId, RunStatus.InProgress, RunStatus.Waiting, CancellationToken.None).ConfigureAwait(false);
                hub.Notify(runId);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task LeaveAsync()
    {
        await _lock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (--_waiters == 0)
            {
                await store.Store.Runs.TryTransitionRunAsync(runId, RunStatus.Waiting, RunStatus.InProgress, CancellationToken.None).ConfigureAwait(false);
                hub.Notify(runId);
            }
        }
        finally
        {
            _lock.Release();
        }
    }
}
