using Shipgate.Delivery.Analysis;

namespace Shipgate.Delivery.Rollouts;

/// <summary>
/// How a running canary hears people and tells them where it stands. On a server the verbs are rows of the store
/// (durable, taken once) with an in-process wake-up, and the progress is the deployment's record; <c>shipgate run</c>
/// has none (<see cref="RolloutRequest.Control"/> null), so a canary that would wait for a person fails there instead.
/// </summary>
public interface IRolloutControl
{
    /// <summary>Waits until a verb is given or <paramref name="delay"/> passed; returns the verb, taken so that it acts once, or null.</summary>
    Task<RolloutCommand?> WaitAsync(TimeSpan delay, CancellationToken cancellationToken = default);

    /// <summary>Publishes where the canary stands.</summary>
    Task ReportAsync(CanaryProgress progress, CancellationToken cancellationToken = default);

    /// <summary>Records a look's decision that is not <see cref="AnalysisOutcome.Continue"/> on the deployment, with its numbers.</summary>
    Task RecordAsync(int step, AnalysisDecision decision, CancellationToken cancellationToken = default);
}
