using System.Text.Json;
using Shipgate.Delivery.Analysis;
using Shipgate.Delivery.Rollouts;
using Shipgate.Server.Api;
using Shipgate.Storage.Deployments;

namespace Shipgate.Server.Deployments;

/// <summary>
/// A canary's control on a server: verbs are rows of the store (<see cref="DeploymentStore.GiveCommandAsync"/>), taken
/// once, with <see cref="RolloutSignals"/> waking the rollout when one is given; progress is the deployment's record
/// (waiting for a person makes it paused); decisions are the deployment's gate decisions, with their numbers.
/// </summary>
internal sealed class DeploymentControl(DeploymentStore store, RolloutSignals signals, long deploymentId, TimeProvider time) : IRolloutControl
{
    public const string AnalysisGate = "analysis";

    public async Task<RolloutCommand?> WaitAsync(TimeSpan delay, CancellationToken cancellationToken = default)
    {
        if (await TakeAsync(cancellationToken).ConfigureAwait(false) is { } command)
        {
            return command;
        }

        using var timeout = new CancellationTokenSource(delay, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await signals.For(deploymentId).WaitAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The look's delay passed without a verb.
        }

        return await TakeAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task ReportAsync(CanaryProgress progress, CancellationToken cancellationToken = default) =>
        store.UpdateProgressAsync(deploymentId, JsonSerializer.Serialize(progress, ApiJsonContext.Default.CanaryProgress), progress.WaitingFor is not null, cancellationToken);

    public Task RecordAsync(int step, AnalysisDecision decision, CancellationToken cancellationToken = default) =>
        store.RecordGateDecisionAsync(
            new NewGateDecision
            {
                DeploymentId = deploymentId,
                Gate = AnalysisGate,
                Result = decision.Outcome switch
                {
                    AnalysisOutcome.Passed => GateResult.Pass,
                    AnalysisOutcome.Failed => GateResult.Fail,
                    _ => GateResult.Pending,
                },
                Reason = $"step {step}: {decision.Outcome.ToString().ToLowerInvariant()}: {decision.Reason}",
                NumbersJson = JsonSerializer.Serialize(decision, ApiJsonContext.Default.AnalysisDecision),
            },
            cancellationToken);

    private async Task<RolloutCommand?> TakeAsync(CancellationToken cancellationToken) =>
        await store.TakeCommandAsync(deploymentId, cancellationToken).ConfigureAwait(false) is { } command && Verb(command.Verb) is { } verb
            ? new RolloutCommand(verb, command.Actor)
            : null;

    /// <summary>The verbs as the API, the CLI and the store spell them.</summary>
    public static RolloutVerb? Verb(string text) => text switch
    {
        "promote" => RolloutVerb.Promote,
        "promote-full" => RolloutVerb.PromoteFull,
        "abort" => RolloutVerb.Abort,
        "pause" => RolloutVerb.Pause,
        "resume" => RolloutVerb.Resume,
        _ => null,
    };
}
