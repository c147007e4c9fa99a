using System.Globalization;
using Shipgate.Delivery.Analysis;
using Shipgate.Delivery.Configuration;
using Shipgate.Delivery.Edge;
using Shipgate.Delivery.Rollouts;
using Shipgate.Engine.Actions;
using Shipgate.Engine.Artifacts;

namespace Shipgate.Server.Deployments;

/// <summary>
/// <c>uses: shipgate/deploy@v1</c>: deploys an artifact of this run as a release of a service to the job's
/// environment through the edge, by the environment's strategy (or the <c>strategy</c> input), and records the
/// deployment on a server. Inputs: service, artifact, version (default the commit's short SHA), strategy.
/// Outputs: version, url. Fails when the release fails or is rolled back, so <c>if: failure()</c> steps run.
/// </summary>
internal sealed class DeployAction(HttpClient smokeClient) : IBuiltinAction
{
    private const string Name = "shipgate/deploy";

    public string Key => Name;

    public async Task<ActionResult> RunAsync(IActionContext context, CancellationToken cancellationToken = default)
    {
        var (service, environment, failure) = await DeploymentConfiguration.LoadAsync(context, Name, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return ActionResult.Failure(failure);
        }

        var artifactName = context.GetInput("artifact");
        if (artifactName.Length == 0)
        {
            return ActionResult.Failure($"{Name} needs the input 'artifact': the name of an artifact this run uploaded.");
        }

        var strategyName = context.GetInput("strategy");
        RolloutStrategy? strategy = strategyName switch
        {
            "" => null,
            "rolling" => RollingStrategy.Default,
            "blue-green" => new BlueGreenStrategy(null),
            // A canary's steps and a shadow's phase are the environment's (reviewed on the protected branch), never the step's own.
            "canary" => environment!.Strategy as CanaryStrategy,
            "shadow" => environment!.Strategy as ShadowStrategy,
            "flag" => environment!.Strategy as FlagRampStrategy,
            _ => null,
        };
        if (strategy is null && strategyName.Length > 0)
        {
            return ActionResult.Failure(strategyName is "canary" or "shadow" or "flag"
                ? $"The input 'strategy: {strategyName}' needs its settings in shipgate.yml: environment {environment!.Name} deploys by {environment.Strategy.Name}."
                : $"The input 'strategy' must be rolling, blue-green, canary, shadow or flag, not '{strategyName}'.");
        }

        var version = context.GetInput("version", context.Sha[..Math.Min(7, context.Sha.Length)]);
        if (!ReleaseVersion.IsValid(version))
        {
            return ActionResult.Failure($"The input 'version' must be 1 to 64 letters, digits, '.', '_' or '-', not '{version}'.");
        }

        if (context.GetService<IEdgeClient>() is not { } edge)
        {
            return ActionResult.Failure(DeploymentConfiguration.NoEdge(Name));
        }

        var store = context.GetService<ArtifactStore>() ?? ArtifactStore.ForDataDirectory(context.DataDirectory);
        if (store.Find(context.RunId, artifactName) is not { } artifact)
        {
            return ActionResult.Failure($"This run has no artifact '{artifactName}': upload it with actions/upload-artifact before deploying.");
        }

        var request = new RolloutRequest
        {
            Service = service!,
            Environment = environment!,
            Version = version,
            ArtifactDigest = artifact.Digest,
            OpenArtifact = _ => Task.FromResult(ArtifactTar.Open(store, artifact.Digest)),
            Strategy = strategy,
            Variables = ReleaseVariables(context),
            Log = context.Log,
            Commands = new JobAnalysisCommands(context),
        };
        var records = context.GetService<ServiceDeployments>();
        ServiceDeployments.Handle? handle = null;
        if (records is not null)
        {
            (handle, failure) = await records.BeginAsync(context.RunId, request, context.Sha, context.Log, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return ActionResult.Failure(failure);
            }
        }

        RolloutResult result;
        var time = context.GetService<TimeProvider>() ?? TimeProvider.System;
        if (handle is not null)
        {
            request = request with { Control = records!.Control(handle, time) };
            if (context.GetService<Flags.FlagRamps>() is { } ramps)
            {
                request = request with { Flags = ramps.For(handle.Run.ProjectId, request.Environment.Name) };
            }

            if (context.GetService<Flags.FlagDeployKeys>() is { } flags)
            {
                request = request with { Variables = await flags.AddAsync(handle.Run.ProjectId, request.Environment.Name, request.Variables, cancellationToken).ConfigureAwait(false) };
            }
        }

        if (context.GetService<IApprovalGate>() is { } gate)
        {
            request = request with { Approve = (rules, step, ct) => CanaryApprovalAsync(gate, context, request, rules, step, ct) };
        }

        try
        {
            var runner = new RolloutRunner(edge, DeploymentActions.Smoke(smokeClient, context), time, context.GetService<ICanaryAnalyst>());
            result = await runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is EdgeUnavailableException or EdgeApiException)
        {
            result = new RolloutResult { Status = RolloutStatus.Failed, Reason = $"The edge failed the deployment: {ex.Message}", Steps = [] };
        }
        catch (OperationCanceledException) when (handle is not null)
        {
            await records!.FinishAsync(handle, new RolloutResult { Status = RolloutStatus.Failed, Reason = "The step was cancelled while deploying.", Steps = [] }, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        if (handle is not null)
        {
            await records!.FinishAsync(handle, result, CancellationToken.None).ConfigureAwait(false);
        }
        else if (result is { KeepPreviousUntil: not null, PreviousVersion: { } previous })
        {
            // No server here to end the rollback window: the next deployment of the service stops the old release.
            context.Log($"{previous} stays warm until the next deployment of {service!.Name} to {environment!.Name} stops it (no server sweeps its rollback window here).");
        }

        context.SetOutput("version", version);
        try
        {
            var listen = SmokeRunner.ListenAddress(await edge.GetInfoAsync(cancellationToken).ConfigureAwait(false));
            context.SetOutput("url", string.Create(CultureInfo.InvariantCulture, $"http://{SmokeRunner.ServiceHost(service!.Name, environment!.Name)}:{listen.Port}/"));
        }
        catch (EdgeUnavailableException)
        {
            // The url is a convenience; the result below says what happened.
        }

        return result.Status switch
        {
            RolloutStatus.Succeeded => ActionResult.Success,
            RolloutStatus.RolledBack => ActionResult.Failure($"{service!.Name} {version} was rolled back: {result.Reason}"),
            _ => ActionResult.Failure($"{service!.Name} {version} was not deployed: {result.Reason}"),
        };
    }

    /// <summary>A canary's approval step, asked through the run's approval gate (on a server, a durable approval decided with <c>shipgate approve</c>).</summary>
    private static async Task<(bool, string)> CanaryApprovalAsync(
        IApprovalGate gate, IActionContext context, RolloutRequest request, ApprovalDefinition rules, int step, CancellationToken cancellationToken)
    {
        var title = request.EffectiveStrategy is FlagRampStrategy ramp
            ? $"Flag ramp of {ramp.Key} ({request.Service.Name} {request.Version}) in {request.Environment.Name}: go on after step {step}"
            : $"Canary of {request.Service.Name} {request.Version} in {request.Environment.Name}: go on after step {step}";
        context.Log($"Waiting for {rules.Required} approval(s) of step {step} from {string.Join(", ", rules.Reviewers)}.");
        var decision = await gate.RequestAsync(
            new ApprovalRequest(
                title,
                rules.Instructions ?? "Check the canary's numbers (shipgate rollout status) before approving.",
                [.. rules.Reviewers.Select(r => r.ToString())],
                rules.Required,
                rules.PreventSelfReview,
                context.Actor,
                context.RunId,
                context.Environment.GetValueOrDefault("GITHUB_JOB", "")),
            cancellationToken).ConfigureAwait(false);
        var by = decision.DecidedBy.Count > 0 ? $" by {string.Join(", ", decision.DecidedBy)}" : "";
        return (decision.Approved, $"{(decision.Approved ? "approved" : "not approved")}{by}: {decision.Reason}");
    }

    /// <summary>What the instances get: the job's vars and secrets (environment over run), without the run's stand-in GITHUB_TOKEN.</summary>
    private static Dictionary<string, string> ReleaseVariables(IActionContext context)
    {
        var variables = new Dictionary<string, string>(context.Variables, StringComparer.Ordinal);
        foreach (var (name, value) in context.Secrets.Where(s => s.Key != "GITHUB_TOKEN"))
        {
            variables[name] = value;
        }

        return variables;
    }
}
