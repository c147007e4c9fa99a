using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shipgate.Delivery.Analysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shipgate.Delivery.Configuration;
using Shipgate.Engine.Artifacts;
using Shipgate.Server.Projects;
using Shipgate.Delivery.Edge;
using Shipgate.Delivery.Rollouts;
using Shipgate.Server.Flags;
using Shipgate.Server.Hosting;
using Shipgate.Storage.Approvals;
using Shipgate.Storage.Audit;
using Shipgate.Storage.Deployments;
using Shipgate.Storage.Runs;

namespace Shipgate.Server.Deployments;

/// <summary>
/// The deployments of services that <c>shipgate/deploy</c> carries out (ADR 0019): the step's record is the
/// deployment of the service. The job that entered the environment recorded a deployment of the project's
/// release (<see cref="EnvironmentDeployments"/>); the deploy step takes that record over, retargeting it to the
/// service's release and strategy, so one job gives one record. A second deploy step in the job, or a run without
/// such a record, records a new deployment. Either way the store's one-active rule queues a second deploy of the
/// service to the environment until the first ends.
/// </summary>
internal sealed partial class ServiceDeployments(
    ServerStore store,
    EnvironmentDeployments environments,
    RolloutSignals signals,
    IServiceProvider services,
    IOptions<ServerOptions> options,
    TimeProvider time,
    ILogger<ServiceDeployments> logger)
{

    private static readonly TimeSpan QueueRecheck = TimeSpan.FromSeconds(1);

    /// <summary>A deployment in progress, with what its end needs.</summary>
    internal sealed record Handle(DeploymentRecord Deployment, ReleaseRecord Release, RunRecord Run);

    /// <summary>
    /// The rules of <paramref name="environment"/> the run's job passed: shipgate.yml at the protected branch's commit
    /// its deployment recorded (<see cref="DeploymentRecord.RulesSha"/>), tightened by the run's commit's
    /// <paramref name="commitEnvironment"/> (ADR 0013). Null when there is no such record or the protected branch does
    /// not declare the environment: then the commit's rules stand as written. A refusal (one sentence) when the
    /// protected file cannot be read.
    /// </summary>
    public async Task<(EnvironmentDefinition? Environment, string? Refusal)> TrustedEnvironmentAsync(
        string runIdText, string environment, EnvironmentDefinition? commitEnvironment, CancellationToken cancellationToken = default)
    {
        if (!long.TryParse(runIdText, NumberStyles.None, CultureInfo.InvariantCulture, out var runId)
            || await store.Store.Runs.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) is not { } run
            || (await store.Store.Deployments.ListDeploymentsAsync(run.ProjectId, null, 1000, cancellationToken).ConfigureAwait(false))
                .FirstOrDefault(d => d.RunId == run.Id && d.RulesSha is not null && string.Equals(d.Environment, environment, StringComparison.OrdinalIgnoreCase))
                is not { RulesSha: { } rulesSha }
            || await store.Store.Projects.GetAsync(run.ProjectId, cancellationToken).ConfigureAwait(false) is not { } project)
        {
            return (null, null);
        }

        var text = await services.GetRequiredService<ProjectRepositories>().For(project).ReadFileAsync(rulesSha, ShipgateConfig.FileName, cancellationToken).ConfigureAwait(false);
        if (text is null)
        {
            return (null, null);
        }

        var loaded = ShipgateConfigLoader.LoadText(text, ShipgateConfig.FileName);
        if (loaded.Config is not { } config)
        {
            return (null, $"{ShipgateConfig.FileName} on the protected branch (commit {rulesSha[..Math.Min(7, rulesSha.Length)]}) is not valid, so nothing is deployed: {loaded.Errors.First()}");
        }

        return config.FindEnvironment(environment) is { } trusted ? (ProtectionRules.Tighten(trusted, commitEnvironment).Effective, null) : (null, null);
    }

    /// <summary>
    /// Records the release and makes the step's deployment the active one of its (service, environment), waiting
    /// queued while another is. Returns no handle and no failure for a run the store does not know.
    /// </summary>
    public async Task<(Handle? Handle, string? Failure)> BeginAsync(string runIdText, RolloutRequest request, string sha, Action<string> log, CancellationToken cancellationToken = default)
    {
        var deployments = store.Store.Deployments;
        if (!long.TryParse(runIdText, NumberStyles.None, CultureInfo.InvariantCulture, out var runId)
            || await store.Store.Runs.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) is not { } run)
        {
            return (null, null);
        }

        var (service, environment) = (request.Service.Name, request.Environment.Name);
        var release = await deployments.GetOrCreateReleaseAsync(
            new NewRelease
            {
                ProjectId = run.ProjectId,
                Service = service,
                Version = request.Version,
                ArtifactDigest = request.ArtifactDigest,
                CommitSha = sha,
                CommittedAt = await CommittedAtAsync(run.ProjectId, sha, cancellationToken).ConfigureAwait(false),
            },
            cancellationToken).ConfigureAwait(false);
        if (release.ArtifactDigest != request.ArtifactDigest)
        {
            return (null, $"Version {request.Version} of {service} was released before with another artifact ({release.ArtifactDigest}); a release never changes, so give this one another version.");
        }

        var strategy = request.EffectiveStrategy.Name;
        var jobRecord = (await deployments.ListDeploymentsAsync(run.ProjectId, null, 1000, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(d => d.RunId == run.Id && d.Strategy == EnvironmentDeployments.JobStrategy && EnvironmentDeployments.IsActive(d.Status)
                && string.Equals(d.Environment, environment, StringComparison.OrdinalIgnoreCase));
        DeploymentRecord? deployment = null;
        var status = DeploymentStatus.Pending;
        var queued = false;
        while (true)
        {
            DeploymentTransition moved;
            if (jobRecord is not null)
            {
                moved = await deployments.RetargetDeploymentAsync(jobRecord.Id, release.Id, strategy, Audit(run, "deployment.retarget", jobRecord, $"Run {run.Id}'s deployment to {environment} deploys {service} {release.Version} ({strategy})."), cancellationToken).ConfigureAwait(false);
                if (moved == DeploymentTransition.NotInExpectedState)
                {
                    jobRecord = null;
                    continue;
                }

                deployment = jobRecord;
            }
            else
            {
                deployment ??= await deployments.CreateDeploymentAsync(
                    new NewDeployment { ReleaseId = release.Id, Environment = environment, Strategy = strategy, RunId = run.Id },
                    Audit(run, "deployment.create", null, $"Run {run.Id} deploys {service} {release.Version} to {environment} ({strategy})."),
                    cancellationToken).ConfigureAwait(false);
                moved = await deployments.TryTransitionAsync(deployment.Id, status, DeploymentStatus.Progressing, null, Audit(run, "deployment.start", deployment, null), cancellationToken).ConfigureAwait(false);
                if (moved == DeploymentTransition.NotInExpectedState)
                {
                    return (null, $"Deployment {deployment.Id} was ended while it was queued.");
                }
            }

            if (moved == DeploymentTransition.Applied)
            {
                break;
            }

            if (!queued)
            {
                queued = true;
                log($"Another deployment of {service} to {environment} is in progress; this one waits its turn.");
                if (jobRecord is null && await deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Pending, DeploymentStatus.Waiting, null, null, cancellationToken).ConfigureAwait(false) == DeploymentTransition.Applied)
                {
                    status = DeploymentStatus.Waiting;
                }
            }

            await Task.Delay(QueueRecheck, time, cancellationToken).ConfigureAwait(false);
        }

        await deployments.SetDecidedByAsync(deployment.Id, await DecidedByAsync(run, request.Environment, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        deployment = (await deployments.GetDeploymentAsync(deployment.Id, cancellationToken).ConfigureAwait(false))!;
        await environments.AppendAsync(run.Id, "deployment.started", deployment, release.Version, null, cancellationToken).ConfigureAwait(false);
        return (new Handle(deployment, release, run), null);
    }

    /// <summary>When the release's commit was made, read from the project's repository (lead time starts there); null when git cannot tell.</summary>
    private async Task<DateTimeOffset?> CommittedAtAsync(long projectId, string sha, CancellationToken cancellationToken) =>
        await store.Store.Projects.GetAsync(projectId, cancellationToken).ConfigureAwait(false) is { } project
            ? await services.GetRequiredService<ProjectRepositories>().For(project).CommittedAtAsync(sha, cancellationToken).ConfigureAwait(false)
            : null;

    /// <summary>The control through which a running canary hears verbs and publishes its progress.</summary>
    public IRolloutControl Control(Handle handle, TimeProvider clock) => new DeploymentControl(store.Store.Deployments, signals, handle.Deployment.Id, clock);

    /// <summary>
    /// Which mode let the release in (section 5 of issue 9): in delivery mode the people who approved the run's entry
    /// into the environment; in deployment mode the automated gates.
    /// </summary>
    private async Task<string> DecidedByAsync(RunRecord run, EnvironmentDefinition environment, CancellationToken cancellationToken)
    {
        if (environment.Mode == EnvironmentMode.Deployment)
        {
            return "deployment: the automated gates";
        }

        var approvers = new List<string>();
        foreach (var approval in (await store.Store.Approvals.ListAsync(new ApprovalQuery { RunId = run.Id }, cancellationToken).ConfigureAwait(false))
            .Where(a => a.Status == Storage.Approvals.ApprovalStatus.Approved && string.Equals(a.Environment, environment.Name, StringComparison.OrdinalIgnoreCase)))
        {
            approvers.AddRange((await store.Store.Approvals.ListDecisionsAsync(approval.Id, cancellationToken).ConfigureAwait(false))
                .Where(d => d.Decision == ApprovalDecision.Approved).Select(d => d.User));
        }

        return approvers.Count == 0 ? "delivery: no approval recorded" : $"delivery: approved by {string.Join(", ", approvers.Distinct(StringComparer.OrdinalIgnoreCase))}";
    }

    /// <summary>Ends the deployment as the rollout ended: its steps, the previous release, the metrics, the status; the event (and so the notification) on the run's stream.</summary>
    public async Task FinishAsync(Handle handle, RolloutResult result, CancellationToken cancellationToken = default)
    {
        var (deployment, release, run) = handle;
        signals.Forget(deployment.Id);
        var status = result.Status switch
        {
            RolloutStatus.Succeeded => DeploymentStatus.Succeeded,
            RolloutStatus.RolledBack => DeploymentStatus.RolledBack,
            _ => DeploymentStatus.Failed,
        };
        await CompleteAsync(deployment, result, status, Audit(run, "deployment." + Verb(status), deployment, result.Reason), cancellationToken).ConfigureAwait(false);
        await environments.AppendAsync(run.Id, "deployment." + (status == DeploymentStatus.RolledBack ? "rolled_back" : EnvironmentDeployments.Name(status)), deployment, release.Version, result.Reason, cancellationToken).ConfigureAwait(false);
        DeploymentLog.Changed(logger, deployment.Id, deployment.Service, release.Version, deployment.Environment, EnvironmentDeployments.Name(status));
    }

    /// <summary>
    /// <c>shipgate rollback</c>: puts <paramref name="toVersion"/> (default the release before the one serving) back
    /// as a deployment of its own: instantly when the edge still has it warm, else deployed anew from its kept artifact.
    /// Returns the deployment, or the status code and sentence of a refusal.
    /// </summary>
    public async Task<(DeploymentRecord? Deployment, int Status, string? Refusal)> RollbackAsync(
        long projectId, string service, string environment, string? toVersion, string? reason, string actor, CancellationToken cancellationToken = default)
    {
        if (services.GetService<IEdgeClient>() is not { } edge)
        {
            return (null, 409, DeploymentConfiguration.NoEdge("A rollback"));
        }

        var deployments = store.Store.Deployments;
        var history = (await deployments.ListDeploymentsAsync(projectId, environment, 1000, cancellationToken).ConfigureAwait(false))
            .Where(d => d.Service == service && d.Status == DeploymentStatus.Succeeded)
            .ToList();
        var live = (await edge.GetServiceAsync(environment, service, cancellationToken).ConfigureAwait(false))?.Routing?.Weights
            .Where(w => w.Value > 0).OrderByDescending(w => w.Value).Select(w => w.Key).FirstOrDefault();
        var versions = new List<string>();
        foreach (var d in history)
        {
            if (await deployments.GetReleaseAsync(d.ReleaseId, cancellationToken).ConfigureAwait(false) is { } r && !versions.Contains(r.Version))
            {
                versions.Add(r.Version);
            }
        }

        if (history.Count == 0 && live is null)
        {
            return (null, 404, $"{service} has never been deployed to {environment}.");
        }

        var target = toVersion ?? versions.FirstOrDefault(v => v != live);
        if (target is null)
        {
            return (null, 409, $"{service} in {environment} has no earlier release to roll back to.");
        }

        if (target == live)
        {
            return (null, 409, $"{service} {target} already serves in {environment}.");
        }

        if (await deployments.FindReleaseAsync(projectId, service, target, cancellationToken).ConfigureAwait(false) is not { } release)
        {
            return (null, 404, $"{service} has no release {target}.");
        }

        var deployment = await deployments.CreateDeploymentAsync(
            new NewDeployment { ReleaseId = release.Id, Environment = environment, Strategy = "rollback" },
            new NewAuditEntry { Actor = actor, Action = "deployment.rollback", Target = $"service/{service}", Reason = $"{actor} rolls {service} in {environment} back to {target}{(reason is null ? "" : $": {reason}")}." },
            cancellationToken).ConfigureAwait(false);
        if (await deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Pending, DeploymentStatus.Progressing, reason, null, cancellationToken).ConfigureAwait(false) != DeploymentTransition.Applied)
        {
            await deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Pending, DeploymentStatus.Cancelled, "Another deployment of the service was in progress.", null, cancellationToken).ConfigureAwait(false);
            return (null, 409, $"Another deployment of {service} to {environment} is in progress; roll back when it ends.");
        }

        var started = time.GetUtcNow();
        RolloutResult result;
        try
        {
            var runner = new RolloutRunner(edge, new SmokeRunner(DeploymentActions.SharedSmokeClient, time), time);
            if (await runner.TrySwitchBackAsync(environment, service, target, cancellationToken).ConfigureAwait(false))
            {
                result = new RolloutResult
                {
                    Status = RolloutStatus.Succeeded,
                    PreviousVersion = live,
                    Steps = [new RolloutStep("switch-back", started, time.GetUtcNow(), RolloutStepOutcome.Succeeded, $"100% to {target}, which was still warm; {live ?? "nothing"} at 0%")],
                };
            }
            else
            {
                result = await RedeployAsync(runner, projectId, release, environment, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is EdgeUnavailableException or EdgeApiException)
        {
            result = new RolloutResult { Status = RolloutStatus.Failed, Reason = $"The edge failed the rollback: {ex.Message}", Steps = [] };
        }

        var status = result.Status == RolloutStatus.Succeeded ? DeploymentStatus.Succeeded : DeploymentStatus.Failed;
        var audit = new NewAuditEntry
        {
            Actor = actor,
            Action = "deployment." + Verb(status),
            Target = EnvironmentDeployments.Target(deployment),
            Reason = result.Reason ?? reason ?? $"{service} rolled back to {target} in {environment}.",
            BeforeJson = EnvironmentDeployments.StatusJson(DeploymentStatus.Progressing),
            AfterJson = EnvironmentDeployments.StatusJson(status),
        };
        await CompleteAsync(deployment, result, status, audit, cancellationToken).ConfigureAwait(false);
        return ((await deployments.GetDeploymentAsync(deployment.Id, cancellationToken).ConfigureAwait(false))!, status == DeploymentStatus.Succeeded ? 200 : 409, result.Reason);
    }

    /// <summary>
    /// A rollback to a release no longer warm: deployed anew (rolling, with the environment's checks) from its kept
    /// artifact, as shipgate.yml at the release's commit declares the service; the edge re-uses the unpacked artifact
    /// when it still has it, else it is uploaded from the server's artifact store.
    /// </summary>
    private async Task<RolloutResult> RedeployAsync(RolloutRunner runner, long projectId, ReleaseRecord release, string environment, CancellationToken cancellationToken)
    {
        var (request, failure) = await ReleaseRequestAsync(projectId, release, environment, null, cancellationToken).ConfigureAwait(false);
        return request is null
            ? new RolloutResult { Status = RolloutStatus.Failed, Reason = failure, Steps = [] }
            : await runner.RunAsync(request with { Strategy = RollingStrategy.Default }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A kept release deployed again outside a job: the service as shipgate.yml at the release's commit declares it, the
    /// environment as shipgate.yml at <paramref name="rulesSha"/> (the protected branch's commit a deployment passed;
    /// default the release's commit), the project's and the environment's variables and secrets.
    /// </summary>
    private async Task<(RolloutRequest? Request, string? Failure)> ReleaseRequestAsync(
        long projectId, ReleaseRecord release, string environment, string? rulesSha, CancellationToken cancellationToken)
    {
        if (await store.Store.Projects.GetAsync(projectId, cancellationToken).ConfigureAwait(false) is not { } project)
        {
            return (null, "The project is gone.");
        }

        var repository = services.GetRequiredService<ProjectRepositories>().For(project);
        var text = await repository.ReadFileAsync(release.CommitSha, ShipgateConfig.FileName, cancellationToken).ConfigureAwait(false);
        var config = text is null ? null : ShipgateConfigLoader.LoadText(text).Config;
        if (config?.FindService(release.Service) is not { } service)
        {
            return (null, $"{ShipgateConfig.FileName} at commit {release.CommitSha[..Math.Min(7, release.CommitSha.Length)]} does not declare {release.Service} validly, so {release.Version} cannot be deployed again.");
        }

        var rules = rulesSha is null ? config : await repository.ReadFileAsync(rulesSha, ShipgateConfig.FileName, cancellationToken).ConfigureAwait(false) is { } rulesText
            ? ShipgateConfigLoader.LoadText(rulesText).Config
            : null;
        var variables = new Dictionary<string, string>(await store.Store.Secrets.GetVariablesAsync(projectId, null, cancellationToken).ConfigureAwait(false), StringComparer.Ordinal);
        foreach (var source in new[]
        {
            await store.Store.Secrets.GetVariablesAsync(projectId, environment, cancellationToken).ConfigureAwait(false),
            await store.Store.Secrets.GetSecretsAsync(projectId, null, cancellationToken).ConfigureAwait(false),
            await store.Store.Secrets.GetSecretsAsync(projectId, environment, cancellationToken).ConfigureAwait(false),
        })
        {
            foreach (var (name, value) in source)
            {
                variables[name] = value;
            }
        }

        var artifacts = ArtifactStore.ForDataDirectory(options.Value.DataDirectory!, time);
        return (new RolloutRequest
        {
            Service = service,
            Environment = rules?.FindEnvironment(environment) ?? new EnvironmentDefinition { Name = environment, Location = new(ShipgateConfig.FileName, 1, 1) },
            Version = release.Version,
            ArtifactDigest = release.ArtifactDigest,
            OpenArtifact = _ => Task.FromResult(ArtifactTar.Open(artifacts, release.ArtifactDigest)),
            Variables = await services.GetRequiredService<FlagDeployKeys>().AddAsync(projectId, environment, variables, cancellationToken).ConfigureAwait(false),
        }, null);
    }

    /// <summary>
    /// <c>shipgate retry</c>: a canary or shadow deployment that was rolled back, aborted or failed runs again from step one, as a
    /// new deployment of the same release under the same rules (the protected branch's commit it passed), in the
    /// background; the environment's entry gates are not asked again (the release passed them), its approval steps are.
    /// Refused when a later deployment of the service followed it, or another one is in progress.
    /// </summary>
    public async Task<(DeploymentRecord? Deployment, string? Refusal)> RetryAsync(
        DeploymentRecord failed, string actor, string? reason, CancellationToken cancellationToken = default)
    {
        if (failed.Strategy is not ("canary" or "shadow" or "flag") || failed.Status is not (DeploymentStatus.RolledBack or DeploymentStatus.Failed))
        {
            return (null, $"Deployment {failed.Id} is a {EnvironmentDeployments.Name(failed.Status)} {failed.Strategy} deployment; "
                + "only a rolled-back, aborted or failed canary, shadow or flag ramp can be retried.");
        }

        if (services.GetService<IEdgeClient>() is not { } edge)
        {
            return (null, DeploymentConfiguration.NoEdge("A retry"));
        }

        var deployments = store.Store.Deployments;
        if ((await deployments.ListDeploymentsAsync(failed.ProjectId, failed.Environment, 1000, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(d => d.Id > failed.Id && d.Service == failed.Service) is { } later)
        {
            return (null, $"Deployment {later.Id} of {failed.Service} to {failed.Environment} followed deployment {failed.Id}; retry only the latest.");
        }

        var release = (await deployments.GetReleaseAsync(failed.ReleaseId, cancellationToken).ConfigureAwait(false))!;
        var (request, failure) = await ReleaseRequestAsync(failed.ProjectId, release, failed.Environment, failed.RulesSha, cancellationToken).ConfigureAwait(false);
        if (request is null || request.Environment.Strategy.Name != failed.Strategy)
        {
            return (null, failure
                ?? $"Environment {failed.Environment} no longer deploys by {failed.Strategy}, so deployment {failed.Id} cannot be retried as one; deploy the release again.");
        }

        var deployment = await deployments.CreateDeploymentAsync(
            new NewDeployment { ReleaseId = release.Id, Environment = failed.Environment, Strategy = request.Environment.Strategy.Name, RunId = failed.RunId, RulesSha = failed.RulesSha },
            new NewAuditEntry
            {
                Actor = actor,
                Action = "deployment.retry",
                Target = EnvironmentDeployments.Target(failed),
                Reason = reason ?? $"{actor} retries the canary of {failed.Service} {release.Version} in {failed.Environment}.",
            },
            cancellationToken).ConfigureAwait(false);
        if (await deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Pending, DeploymentStatus.Progressing, null, null, cancellationToken).ConfigureAwait(false) != DeploymentTransition.Applied)
        {
            await deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Pending, DeploymentStatus.Cancelled, "Another deployment of the service was in progress.", null, cancellationToken).ConfigureAwait(false);
            return (null, $"Another deployment of {failed.Service} to {failed.Environment} is in progress; retry when it ends.");
        }

        await deployments.SetDecidedByAsync(deployment.Id, $"retry by {actor} of deployment {failed.Id}", cancellationToken).ConfigureAwait(false);
        deployment = (await deployments.GetDeploymentAsync(deployment.Id, cancellationToken).ConfigureAwait(false))!;
        var stopping = services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        var runner = new RolloutRunner(edge, new SmokeRunner(DeploymentActions.SharedSmokeClient, time), time, services.GetService<ICanaryAnalyst>());
        var retried = deployment;
        _ = Task.Run(async () =>
        {
            RolloutResult result;
            try
            {
                result = await runner.RunAsync(
                    request with
                    {
                        Control = new DeploymentControl(deployments, signals, retried.Id, time),
                        Flags = services.GetRequiredService<FlagRamps>().For(failed.ProjectId, failed.Environment),
                    },
                    stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is EdgeUnavailableException or EdgeApiException or OperationCanceledException)
            {
                result = new RolloutResult { Status = RolloutStatus.Failed, Reason = $"The retry ended: {ex.Message}", Steps = [] };
            }

            signals.Forget(retried.Id);
            var status = result.Status switch
            {
                RolloutStatus.Succeeded => DeploymentStatus.Succeeded,
                RolloutStatus.RolledBack => DeploymentStatus.RolledBack,
                _ => DeploymentStatus.Failed,
            };
            var audit = new NewAuditEntry { Actor = actor, Action = "deployment." + Verb(status), Target = EnvironmentDeployments.Target(retried), Reason = result.Reason };
            await CompleteAsync(retried, result, status, audit, CancellationToken.None).ConfigureAwait(false);
            DeploymentLog.Changed(logger, retried.Id, retried.Service, release.Version, retried.Environment, EnvironmentDeployments.Name(status));
        }, CancellationToken.None);
        return (deployment, null);
    }

    private async Task CompleteAsync(DeploymentRecord deployment, RolloutResult result, DeploymentStatus status, NewAuditEntry audit, CancellationToken cancellationToken)
    {
        var deployments = store.Store.Deployments;
        var previous = result.PreviousVersion is { } version
            ? await deployments.FindReleaseAsync(deployment.ProjectId, deployment.Service, version, cancellationToken).ConfigureAwait(false)
            : null;
        var now = time.GetUtcNow();
        var outcome = new DeploymentOutcome
        {
            Status = status,
            Reason = result.Reason,
            Steps = [.. result.Steps.Select(s => new DeploymentStepRecord(s.Name, s.StartedAt, s.FinishedAt, s.Outcome.ToString().ToLowerInvariant(), s.Message))],
            PreviousReleaseId = previous?.Id,
            KeepPreviousUntil = previous is null ? null : result.KeepPreviousUntil,
            Snapshots = [.. result.Metrics.Select(m => new NewMetricSnapshot
            {
                DeploymentId = deployment.Id,
                Version = m.Version,
                WindowStart = deployment.StartedAt ?? now,
                WindowEnd = now,
                CountsJson = JsonSerializer.Serialize(m, EdgeJsonContext.Default.EdgeReleaseMetrics),
            })],
        };
        await deployments.CompleteDeploymentAsync(deployment.Id, outcome, audit, cancellationToken).ConfigureAwait(false);

        // A release kept warm by an earlier deployment was stopped by this one's stop-stale step, or serves again.
        foreach (var older in (await deployments.ListDeploymentsAsync(deployment.ProjectId, deployment.Environment, 1000, cancellationToken).ConfigureAwait(false))
            .Where(d => d.Id != deployment.Id && d.Service == deployment.Service && d.KeepPreviousUntil is not null))
        {
            await deployments.ClearKeepPreviousAsync(older.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    private static NewAuditEntry Audit(RunRecord run, string action, DeploymentRecord? deployment, string? reason) => new()
    {
        Actor = run.Initiator.Length > 0 ? run.Initiator : "shipgate",
        Action = action,
        Target = deployment is null ? $"run/{run.Id}" : EnvironmentDeployments.Target(deployment),
        Reason = reason,
    };

    private static string Verb(DeploymentStatus status) => status switch
    {
        DeploymentStatus.Succeeded => "succeed",
        DeploymentStatus.Failed => "fail",
        _ => "rolled-back",
    };
}
