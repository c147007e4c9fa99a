using Shipgate.Engine.Runs;

namespace Shipgate.Server.Runs;

/// <summary>
/// Persists each engine event through the store's recorder (which the engine awaits for state changes,
/// so a change is durable before it is acted on), then wakes the run's live readers.
/// </summary>
internal sealed class LiveRunObserver(IRunObserver recorder, RunEventHub hub, long runId, Func<string?> cancelReason) : IRunObserver
{
    public async ValueTask OnEventAsync(RunEvent runEvent, CancellationToken cancellationToken = default)
    {
        // The engine does not know why it was cancelled; the server does (a stop, a user, a newer run).
        if (runEvent is RunFinishedEvent { Conclusion: Conclusion.Cancelled, Reason: null } finished && cancelReason() is { } reason)
        {
            runEvent = finished with { Reason = reason };
        }

        await recorder.OnEventAsync(runEvent, cancellationToken).ConfigureAwait(false);
        hub.Notify(runId);
    }
}
