using Shipgate.Engine.Runs;
using Shipgate.Server.Approvals;

namespace Shipgate.Server.Runs;

/// <summary>
/// Persists each engine event through the store's recorder (which the engine awaits for state changes,
/// so a change is durable before it is acted on), then wakes the run's live readers; a job that names an
/// environment is held until the environment's gates pass.
/// </summary>
internal sealed class LiveRunObserver(IRunObserver recorder, RunEventHub hub, long runId, Func<string?> cancelReason, EnvironmentGates.RunGates? gates = null) : IRunObserver
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

        // The engine awaits this before the job's steps run: the job waits here for its environment's gates.
        if (runEvent is JobStartedEvent { Environment: { } environment } && gates is not null)
        {
            await gates.EnterAsync(environment, cancellationToken).ConfigureAwait(false);
        }
    }
}
