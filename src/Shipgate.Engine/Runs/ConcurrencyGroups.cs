namespace Shipgate.Engine.Runs;

/// <summary>
/// GitHub's concurrency groups: in a group at most one holder runs and one waits. A newcomer
/// replaces (cancels) the one that waits, and with cancel-in-progress also cancels the one that runs.
/// Group names compare ignoring case. One instance serves the jobs of a run; the server shares one
/// across runs.
/// </summary>
public sealed class ConcurrencyGroups
{
    private readonly Dictionary<string, GroupState> _groups = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    /// <summary>
    /// Waits for the group. Returns a lease to dispose when done, or null when a newer holder replaced
    /// this one while it waited (the caller is then cancelled, as GitHub does). With
    /// <paramref name="cancelInProgress"/>, the running holder's <c>cancelRunning</c> is invoked.
    /// </summary>
    public async Task<IDisposable?> EnterAsync(string group, bool cancelInProgress, Action cancelRunning, CancellationToken cancellationToken = default)
    {
        var me = new Holder(cancelRunning);
        Holder? replaced = null;
        Holder? toCancel = null;
        lock (_lock)
        {
            if (!_groups.TryGetValue(group, out var state))
            {
                state = new GroupState();
                _groups[group] = state;
            }

            if (state.Running is null)
            {
                state.Running = me;
                return new Lease(this, group, me);
            }

            replaced = state.Pending;
            state.Pending = me;
            if (cancelInProgress)
            {
                toCancel = state.Running;
            }
        }

        replaced?.Granted.TrySetResult(false);
        toCancel?.CancelRunning();

        bool granted;
        try
        {
            granted = await me.Granted.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            lock (_lock)
            {
                if (_groups.TryGetValue(group, out var state) && ReferenceEquals(state.Pending, me))
                {
                    state.Pending = null;
                }
            }

            // The grant may have raced with the cancellation: refuse it, or hand the group on.
            if (!me.Granted.TrySetResult(false) && me.Granted.Task.Result)
            {
                Release(group, me);
            }

            throw;
        }

        return granted ? new Lease(this, group, me) : null;
    }

    private void Release(string group, Holder holder)
    {
        Holder? next = null;
        lock (_lock)
        {
            if (!_groups.TryGetValue(group, out var state) || !ReferenceEquals(state.Running, holder))
            {
                return;
            }

            next = state.Pending;
            state.Pending = null;
            state.Running = next;
            if (next is null)
            {
                _groups.Remove(group);
            }
        }

        if (next is not null && !next.Granted.TrySetResult(true))
        {
            Release(group, next);
        }
    }

    private sealed class GroupState
    {
        public Holder? Running { get; set; }

        public Holder? Pending { get; set; }
    }

    private sealed class Holder(Action cancelRunning)
    {
        public Action CancelRunning { get; } = cancelRunning;

        public TaskCompletionSource<bool> Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Lease(ConcurrencyGroups owner, string group, Holder holder) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Release(group, holder);
            }
        }
    }
}
