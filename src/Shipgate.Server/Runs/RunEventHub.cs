using System.Collections.Concurrent;

namespace Shipgate.Server.Runs;

/// <summary>
/// Tells live readers (server-sent event streams) that a run's stream grew. It carries no events: a
/// reader re-reads the store after the last sequence it sent, so a slow reader never makes memory grow.
/// </summary>
internal sealed class RunEventHub
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _changes = new();

    /// <summary>A task that completes at the next change of the run; take it before reading the store.</summary>
    public Task NextChange(long runId) =>
        _changes.GetOrAdd(runId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Wakes the readers of the run (after its change is durable).</summary>
    public void Notify(long runId)
    {
        if (_changes.TryRemove(runId, out var change))
        {
            change.TrySetResult();
        }
    }
}
