using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Shipgate.Engine.Runs;
using Shipgate.Server.Approvals;
using Shipgate.Server.Hosting;
using Shipgate.Server.Projects;
using Shipgate.Server.Runs;
using Shipgate.Storage.Audit;
using Shipgate.Storage.Deployments;
using Shipgate.Storage.Projects;
using Shipgate.Storage.Runs;

namespace Shipgate.Server.Deployments;

/// <summary>
/// The deployments of runs' jobs to environments, one per (service, environment) at a time: a run whose
/// jobs passed an environment's gates records a deployment of its release (service: the project's name;
/// version: the run's short commit) and waits, queued in order, while another deployment of that service
/// to that environment is active; it ends as its jobs end. The store refuses a second active deployment,
/// so this holds across servers too. Each change is audited and appended to the run's event stream
/// (<c>deployment.queued|started|succeeded|failed|cancelled</c>).
/// </summary>
internal sealed class EnvironmentDeployments(
    ServerStore store, RunEventHub hub, ProjectRepositories repositories, TimeProvider time, ILogger<EnvironmentDeployments> logger)
{
    /// <summary>The strategy recorded for a deployment that a workflow job performs.</summary>
    public const string JobStrategy = "workflow";

    private static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _signalLock = new();
    private TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Records the run's deployment to <paramref name="environment"/> and returns once it is the active one
    /// of its (service, environment), the run marked waiting meanwhile. Cancelled while queued: the
    /// deployment ends cancelled.
    /// </summary>
    public async Task<DeploymentRecord> StartAsync(RunRecord run, ProjectRecord project, string environment, string jobKey, RunWaiting waiting, RulesVersion? rules, CancellationToken cancellationToken = default)
    {
        var deployments = store.Store.Deployments;
        var release = await deployments.GetOrCreateReleaseAsync(
            new NewRelease
            {
                ProjectId = project.Id,
                Service = project.Name,
                Version = Version(run),
                ArtifactDigest = DeploymentStore.PlaceholderDigest(run.Sha),
                CommitSha = run.Sha,
                CommittedAt = await repositories.For(project).CommittedAtAsync(run.Sha, cancellationToken).ConfigureAwait(false),
            },
            cancellationToken).ConfigureAwait(false);
        // A run that resumes after a restart goes on with the deployment it had open, rather than queue behind itself.
        var deployment = (await deployments.ListDeploymentsAsync(project.Id, environment, 1000, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(d => d.RunId == run.Id && d.ReleaseId == release.Id && !IsEnded(d.Status))
            ?? await deployments.CreateDeploymentAsync(
                new NewDeployment
                {
                    ReleaseId = release.Id,
                    Environment = environment,
                    Strategy = JobStrategy,
                    RunId = run.Id,
                    JobKey = jobKey,
                    RulesSha = rules?.Sha,
                    RulesTightened = rules?.TightenedText,
                },
                Audit(run, "deployment.create", $"run/{run.Id}", $"Run {run.Id} deploys {project.Name} {release.Version} to {environment}{(rules is null ? "" : $" under {rules}")}.", null, DeploymentStatus.Pending),
                cancellationToken).ConfigureAwait(false);
        if (IsActive(deployment.Status))
        {
            return deployment;
        }

        var status = deployment.Status;
        var queued = false;
        try
        {
            while (true)
            {
                var ended = EndedSignal();
                if (await FindBlockerAsync(deployment, cancellationToken).ConfigureAwait(false) is not { } blocker)
                {
                    var moved = await deployments.TryTransitionAsync(deployment.Id, status, DeploymentStatus.Progressing, null, Audit(run, "deployment.start", Target(deployment), null, status, DeploymentStatus.Progressing), cancellationToken).ConfigureAwait(false);
                    if (moved == DeploymentTransition.Applied)
                    {
                        await AppendAsync(run.Id, "deployment.started", deployment, release.Version, null, cancellationToken).ConfigureAwait(false);
                        return deployment with { Status = DeploymentStatus.Progressing };
                    }

                    if (moved == DeploymentTransition.NotInExpectedState)
                    {
                        throw new InvalidOperationException($"Deployment {deployment.Id} was ended while it was queued.");
                    }

                    // Another one became active meanwhile: the next look finds it.
                    continue;
                }

                if (!queued)
                {
                    queued = true;
                    await waiting.EnterAsync().ConfigureAwait(false);
                    if (await deployments.TryTransitionAsync(deployment.Id, DeploymentStatus.Pending, DeploymentStatus.Waiting, null, Audit(run, "deployment.queue", Target(deployment), null, status, DeploymentStatus.Waiting), cancellationToken).ConfigureAwait(false) == DeploymentTransition.Applied)
                    {
                        status = DeploymentStatus.Waiting;
                    }

                    await AppendAsync(run.Id, "deployment.queued", deployment, release.Version, $"waiting for deployment {blocker.Id} of {blocker.Service} to {blocker.Environment}", cancellationToken).ConfigureAwait(false);
                }

                await Task.WhenAny(ended, Task.Delay(RecheckInterval, time, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException)
        {
            await EndAsync(run.Id, deployment with { Status = status }, DeploymentStatus.Cancelled, "The job was cancelled before the deployment started.", CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (queued)
            {
                await waiting.LeaveAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Ends an active deployment as its jobs ended: succeeded, failed or cancelled.</summary>
    public Task FinishAsync(long runId, DeploymentRecord deployment, DeploymentStatus status, string? reason, CancellationToken cancellationToken = default) =>
        EndAsync(runId, deployment, status, reason, cancellationToken);

    /// <summary>
    /// Ends the deployments a completed run left open (a leg that never started, a crash): cancelled when the
    /// run was cancelled, else failed. A run that is not completed (it may resume) keeps them.
    /// </summary>
    public async Task EndRunAsync(long runId, CancellationToken cancellationToken = default)
    {
        if (await store.Store.Runs.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) is not { Status: RunStatus.Completed } run)
        {
            return;
        }

        foreach (var open in (await store.Store.Deployments.ListDeploymentsAsync(run.ProjectId, null, 1000, cancellationToken).ConfigureAwait(false)).Where(d => d.RunId == runId && !IsEnded(d.Status)))
        {
            await EndAsync(runId, open, run.Conclusion == Conclusion.Cancelled ? DeploymentStatus.Cancelled : DeploymentStatus.Failed, "The run ended before the deployment did.", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>What <paramref name="deployment"/> waits for: the active deployment of its service to its environment, else an older queued one; null when it may go.</summary>
    private async Task<DeploymentRecord?> FindBlockerAsync(DeploymentRecord deployment, CancellationToken cancellationToken)
    {
        var others = (await store.Store.Deployments.ListDeploymentsAsync(deployment.ProjectId, deployment.Environment, 1000, cancellationToken).ConfigureAwait(false))
            .Where(d => d.Id != deployment.Id && string.Equals(d.Service, deployment.Service, StringComparison.Ordinal))
            .Where(d => IsActive(d.Status) || (d.Status is DeploymentStatus.Pending or DeploymentStatus.Waiting && d.Id < deployment.Id))
            .OrderBy(d => IsActive(d.Status) ? 0 : 1)
            .ThenBy(d => d.Id);
        foreach (var other in others)
        {
            // A deployment whose run ended (lost with a crashed server, or its cleanup failed) must not hold the environment forever.
            if (other.RunId is { } runId && await store.Store.Runs.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) is null or { Status: RunStatus.Completed })
            {
                await EndAsync(runId, other, DeploymentStatus.Failed, "Its run ended before the deployment did.", cancellationToken).ConfigureAwait(false);
                continue;
            }

            return other;
        }

        return null;
    }

    private async Task EndAsync(long runId, DeploymentRecord deployment, DeploymentStatus status, string? reason, CancellationToken cancellationToken)
    {
        var version = (await store.Store.Deployments.GetReleaseAsync(deployment.ReleaseId, cancellationToken).ConfigureAwait(false))?.Version ?? "";
        var moved = await store.Store.Deployments.TryTransitionAsync(
            deployment.Id,
            deployment.Status,
            status,
            reason,
            new NewAuditEntry
            {
                Actor = "shipgate",
                Action = "deployment." + Verb(status),
                Target = Target(deployment),
                Reason = reason ?? $"Deployment {deployment.Id} of {deployment.Service} {version} to {deployment.Environment} {Name(status)}.",
                BeforeJson = StatusJson(deployment.Status),
                AfterJson = StatusJson(status),
            },
            cancellationToken).ConfigureAwait(false);
        if (moved != DeploymentTransition.Applied)
        {
            return;
        }

        if (await store.Store.Runs.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) is not null)
        {
            await AppendAsync(runId, "deployment." + Name(status), deployment, version, reason, cancellationToken).ConfigureAwait(false);
        }

        DeploymentLog.Changed(logger, deployment.Id, deployment.Service, version, deployment.Environment, Name(status));
        Signal();
    }

    /// <summary>Appends a <c>deployment.*</c> event about <paramref name="deployment"/> to run <paramref name="runId"/>'s stream.</summary>
    internal async Task AppendAsync(long runId, string kind, DeploymentRecord deployment, string version, string? reason, CancellationToken cancellationToken)
    {
        var payload = new Dictionary<string, string>
        {
            ["environment"] = deployment.Environment,
            ["service"] = deployment.Service,
            ["version"] = version,
            ["deploymentId"] = deployment.Id.ToString(CultureInfo.InvariantCulture),
        };
        if (reason is not null)
        {
            payload["reason"] = reason;
        }

        await store.Store.Runs.AppendEventAsync(runId, kind, JsonSerializer.Serialize(payload, RunJsonContext.Default.DictionaryStringString), cancellationToken).ConfigureAwait(false);
        hub.Notify(runId);
    }

    private Task EndedSignal()
    {
        lock (_signalLock)
        {
            return _ended.Task;
        }
    }

    private void Signal()
    {
        TaskCompletionSource ended;
        lock (_signalLock)
        {
            ended = _ended;
            _ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        ended.TrySetResult();
    }

    private static NewAuditEntry Audit(RunRecord run, string action, string target, string? reason, DeploymentStatus? before, DeploymentStatus after) => new()
    {
        Actor = run.Initiator.Length > 0 ? run.Initiator : "shipgate",
        Action = action,
        Target = target,
        Reason = reason,
        BeforeJson = before is { } status ? StatusJson(status) : null,
        AfterJson = StatusJson(after),
    };

    private static string Version(RunRecord run) => run.Sha[..Math.Min(7, run.Sha.Length)];

    internal static string Target(DeploymentRecord deployment) => $"deployment/{deployment.Id}";

    internal static string StatusJson(DeploymentStatus status) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["status"] = Name(status) }, RunJsonContext.Default.DictionaryStringString);

    internal static bool IsActive(DeploymentStatus status) => status is DeploymentStatus.Progressing or DeploymentStatus.Paused;

    private static bool IsEnded(DeploymentStatus status) => status is DeploymentStatus.Succeeded or DeploymentStatus.Failed or DeploymentStatus.RolledBack or DeploymentStatus.Cancelled;

    /// <summary>The status as the API and the run events name it.</summary>
    internal static string Name(DeploymentStatus status) => status == DeploymentStatus.RolledBack ? "rolled-back" : status.ToString().ToLowerInvariant();

    private static string Verb(DeploymentStatus status) => status switch
    {
        DeploymentStatus.Succeeded => "succeed",
        DeploymentStatus.Failed => "fail",
        DeploymentStatus.Cancelled => "cancel",
        _ => Name(status),
    };
}
