using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Shipgate.Delivery.Edge;
using Shipgate.Delivery.Rollouts;
using Shipgate.Server.Api;
using Shipgate.Storage.Deployments;
using Shipgate.Storage.Runs;

namespace Shipgate.Server.Deployments;

internal sealed partial class ServiceDeployments
{
    /// <summary>
    /// The rollouts a resumed run's server left unfinished: their deploy steps died with it (runner lost), so nothing
    /// judges them any more while the edge still serves whatever split they had reached. Each is rolled back the way a
    /// failed step would be: all traffic to the release that served before (stable, still warm beside it) and the new
    /// release stopped; the deployment ends <c>rolled-back</c> with the reason, audited and on the run's stream.
    /// When stable is gone or the edge cannot be reached, the split is left as it is and the deployment ends
    /// <c>failed</c> saying so, for a person to decide (<c>shipgate rollback</c>, <c>shipgate retry</c>). A flag ramp cut off
    /// after its release took the traffic has its flag turned off instead, and the release left serving.
    /// </summary>
    public async Task RollBackCutOffAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        var deployments = store.Store.Deployments;
        foreach (var deployment in (await deployments.ListUnfinishedDeploymentsAsync(run.ProjectId, cancellationToken).ConfigureAwait(false))
            .Where(d => d.RunId == run.Id && d.Status is DeploymentStatus.Progressing or DeploymentStatus.Paused && Delivery.Configuration.RolloutStrategy.Names.Contains(d.Strategy)))
        {
            var release = (await deployments.GetReleaseAsync(deployment.ReleaseId, cancellationToken).ConfigureAwait(false))!;
            signals.Forget(deployment.Id);
            var result = await RollBackCutOffAsync(deployment, release.Version, cancellationToken).ConfigureAwait(false);
            var status = result.Status == RolloutStatus.RolledBack ? DeploymentStatus.RolledBack : DeploymentStatus.Failed;
            await CompleteAsync(deployment, result, status, Audit(run, "deployment." + Verb(status), deployment, result.Reason) with { Actor = "shipgate" }, cancellationToken).ConfigureAwait(false);
            await environments.AppendAsync(run.Id, "deployment." + (status == DeploymentStatus.RolledBack ? "rolled_back" : "failed"), deployment, release.Version, result.Reason, cancellationToken).ConfigureAwait(false);
            DeploymentLog.Changed(logger, deployment.Id, deployment.Service, release.Version, deployment.Environment, EnvironmentDeployments.Name(status));
        }
    }

    private async Task<RolloutResult> RollBackCutOffAsync(DeploymentRecord deployment, string version, CancellationToken cancellationToken)
    {
        const string CutOff = "The server running this rollout stopped before it ended (runner lost)";
        var started = time.GetUtcNow();
        RolloutResult Result(RolloutStatus status, string reason, string? previous = null) => new()
        {
            Status = status,
            Reason = $"{CutOff}; {reason}.",
            PreviousVersion = previous,
            Steps = [new RolloutStep("cut-off", started, time.GetUtcNow(), status == RolloutStatus.RolledBack ? RolloutStepOutcome.Succeeded : RolloutStepOutcome.Failed, reason)],
        };

        if (services.GetService<IEdgeClient>() is not { } edge)
        {
            return Result(RolloutStatus.Failed, "this server has no edge to roll it back on, so it is left as it was");
        }

        var progress = deployment.ProgressJson is { } json ? JsonSerializer.Deserialize(json, ApiJsonContext.Default.CanaryProgress) : null;
        if (progress?.Flag is { } flag)
        {
            var refused = await services.GetRequiredService<Flags.FlagRamps>().For(deployment.ProjectId, deployment.Environment)
                .TurnOffAsync(flag, $"{CutOff} at step {progress.Step} of the flag ramp of {deployment.Service} {version}.", cancellationToken).ConfigureAwait(false);
            return refused is null
                ? Result(RolloutStatus.RolledBack, $"the flag {flag} was turned off; {version} keeps serving")
                : Result(RolloutStatus.Failed, $"the flag {flag} could not be turned off ({refused}), so it is left as it was");
        }

        try
        {
            var service = await edge.GetServiceAsync(deployment.Environment, deployment.Service, cancellationToken).ConfigureAwait(false);
            // Stable: the canary's, else the other release with the most traffic (or kept warm at 0 after the shift).
            var stable = progress?.StableVersion
                ?? service?.Releases.Where(r => r.Version != version)
                    .OrderByDescending(r => service.Routing?.Weights.GetValueOrDefault(r.Version) ?? 0)
                    .Select(r => r.Version)
                    .FirstOrDefault();
            if (stable is null || service?.Releases.Any(r => r.Version == version) != true)
            {
                return Result(RolloutStatus.Failed, stable is null
                    ? $"nothing served before {version}, so it is left as it is"
                    : $"{version} is no longer on the edge; nothing was changed");
            }

            var runner = new RolloutRunner(edge, new SmokeRunner(DeploymentActions.SharedSmokeClient, time), time);
            if (!await runner.TrySwitchBackAsync(deployment.Environment, deployment.Service, stable, cancellationToken).ConfigureAwait(false))
            {
                return Result(RolloutStatus.Failed, $"{stable} is not healthy on the edge any more, so the split is left as it is: 'shipgate rollback' deploys it again", stable);
            }

            await edge.DeleteReleaseAsync(deployment.Environment, deployment.Service, version, cancellationToken).ConfigureAwait(false);
            return Result(RolloutStatus.RolledBack, $"100% back to {stable}; {version} stopped", stable);
        }
        catch (Exception ex) when (ex is EdgeUnavailableException or EdgeApiException)
        {
            return Result(RolloutStatus.Failed, $"the edge could not roll it back ({ex.Message}), so it is left as it was");
        }
    }
}
