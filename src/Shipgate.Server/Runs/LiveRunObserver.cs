using Shipgate.Engine.Runs;

namespace Shipgate.Server.Runs;

/// <summary>
/// Persists each engine event through the store's recorder (which the engine awaits for state changes,
/// so a change is durable before it is acted on), then wakes the run's live readers. Environment gates
/// are not here: the engine asks the run's job gate itself, so that a job waiting at one holds back no event.
/// </summary>
internal sealed class LiveRunObserver(IRunObserver recorder, RunEventHub hub, long runId, Func<string?> cancelReason, Func<string?>? failureReason = null) : IRunObserver
{
    public async ValueTask OnEventAsync(RunEvent runEvent, CancellationToken cancellationToken = default)
    {
        // The engine does not know why it was cancelled; the server does (a stop, a user, a newer run).
        if (runEvent is RunFinishedEvent { Conclusion: Conclusion.Cancelled, Reason: null } finished && cancelReason() is { } reason)
        {
            runEvent = finished with { Reason = reason };
        }

        // A run that failed because an environment refused a job says so.
        if (runEvent is RunFinishedEvent { Conclusion: Conclusion.Failure, Reason: null } failed && failureReason?.Invoke() is { } refusal)
        {
            runEvent = failed with { Reason = refusal };
        }

        await recorder.OnEventAsync(runEvent, cancellationToken).ConfigureAwait(false);
        hub.Notify(runId);
    }
}
