using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shipgate.Engine.Runs;
using Shipgate.Server.Approvals;
using Shipgate.Server.Deployments;
using Shipgate.Server.Hosting;
using Shipgate.Server.Projects;
using Shipgate.Server.Workflows;
using Shipgate.Storage.Runs;

namespace Shipgate.Server.Runs;

/// <summary>
/// Executes one claimed run with the <see cref="RunEngine"/>: reads the workflow at the run's commit,
/// runs it with every event recorded through the store before the engine goes on, and keeps the run's
/// lease alive meanwhile. A run that cannot start (its workflow is gone or invalid) fails with the reason.
/// A run that ran before (its server died and it was queued again) resumes: the jobs it completed are
/// handed to the engine as done, the others run. A run the server detached from as it stopped is handed back to
/// the queue as after a crash, for the next server to resume.
/// </summary>
internal sealed class RunExecutor(
    ServerStore store,
    RunEngine engine,
    ProjectRepositories repositories,
    WorkflowCatalog catalog,
    RunEventHub hub,
    IServiceProvider services,
    IOptions<ServerOptions> options,
    TimeProvider time,
    ILogger<RunExecutor> logger)
{
    public async Task ExecuteAsync(RunRecord run, string owner, RunningRun running, CancellationToken stoppingToken)
    {
        using var renewal = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var renewing = RenewLeaseAsync(run.Id, owner, running, renewal.Token);
        var detached = false;
        try
        {
            var project = await store.Store.Projects.GetAsync(run.ProjectId, stoppingToken).ConfigureAwait(false);
            if (project is null)
            {
                await FailAsync(run.Id, "The run's project was removed before it started.", stoppingToken).ConfigureAwait(false);
                return;
            }

            var repository = repositories.For(project);
            var workflows = await catalog.LoadAsync(repository, run.Sha, stoppingToken).ConfigureAwait(false);
            var workflow = workflows.FirstOrDefault(w => w.Path == run.WorkflowPath);
            if (workflow?.Definition is not { } definition)
            {
                await FailAsync(run.Id, workflow?.FirstError ?? $"{run.WorkflowPath} does not exist at commit {run.Sha[..Math.Min(7, run.Sha.Length)]}.", stoppingToken).ConfigureAwait(false);
                return;
            }

            // Repository-level secrets and variables go to every run; environment ones wait for the environment's gates.
            var secrets = PullRequestRuns.MayReceiveSecrets(run, project)
                ? await store.Store.Secrets.GetSecretsAsync(project.Id, null, stoppingToken).ConfigureAwait(false)
                : new Dictionary<string, string>();
            var variables = await store.Store.Secrets.GetVariablesAsync(project.Id, null, stoppingToken).ConfigureAwait(false);
            var completed = await RunResumption.PrepareAsync(store, run, definition, logger, stoppingToken).ConfigureAwait(false);
            if (run.LastEventSequence > 0)
            {
                // Its deploy steps died with the server before it: their rollouts go back to stable before anything goes on.
                await services.GetRequiredService<ServiceDeployments>().RollBackCutOffAsync(run, stoppingToken).ConfigureAwait(false);
            }

            RunLog.RunStarted(logger, run.Id);
            var gate = services.GetRequiredService<EnvironmentGates>().ForRun(run, project, repository);
            var observer = new LiveRunObserver(store.Store.Runs.CreateRecorder(run.Id, owner), hub, run.Id, () => running.CancelReason, () => gate.FirstRefusal);
            var request = new RunRequest
            {
                Workflow = definition,
                RepositoryDirectory = repository.Directory,
                EventName = run.Event,
                Ref = run.Ref,
                Sha = run.Sha,
                Inputs = run.Inputs,
                Secrets = secrets,
                Variables = variables,
                Actor = run.Actor,
                DataDirectory = options.Value.DataDirectory,
                RunId = run.Id.ToString(CultureInfo.InvariantCulture),
                RunNumber = (int)Math.Min(run.Number, int.MaxValue),
                RunAttempt = run.Attempt,
                CompletedJobs = completed,
                TimeProvider = time,
                // Resolved here, not injected: approvals queue runs (through the launcher) that this executor runs.
                ApprovalGate = new ServerApprovalGate(services.GetRequiredService<ApprovalService>(), store.Store.Runs, run),
                ConcurrencyGroups = services.GetRequiredService<ProjectConcurrencyGroups>().For(run.ProjectId),
                JobGate = gate,
                // Built-in actions find the server's services here: the edge client, the deployment records.
                Services = services,
                Detach = running.Detach.Token,
            };
            var result = await engine.RunAsync(request, observer, running.Cancellation.Token).ConfigureAwait(false);
            detached = result.Detached;

            // The artifacts themselves are in the data directory already; the store adds which job uploaded each.
            foreach (var artifact in result.Artifacts)
            {
                await store.Store.Runs.RecordArtifactAsync(run.Id, artifact.Name, artifact.Digest, artifact.Size, artifact.JobKey, CancellationToken.None).ConfigureAwait(false);
            }

            if (!detached)
            {
                RunLog.RunCompleted(logger, run.Id, result.Conclusion.ToString());
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped before the engine began: handed back below, for the next server to start.
            detached = true;
        }
        catch (Exception ex)
        {
            RunLog.RunCrashed(logger, ex, run.Id);
            try
            {
                await FailAsync(run.Id, $"The server could not run it: {ex.Message}", CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception failed)
            {
                // The run is gone (its project was removed) or the store is down: its lease expires and a server resumes it.
                RunLog.RunCrashed(logger, failed, run.Id);
            }
        }
        finally
        {
            await renewal.CancelAsync().ConfigureAwait(false);
            await renewing.ConfigureAwait(false);
            await (detached ? ReleaseAsync(run.Id, owner) : EndDeploymentsAsync(run.Id)).ConfigureAwait(false);
            hub.Notify(run.Id);
        }
    }

    /// <summary>Ends a run that did not get to the engine: a run.finished event for its readers, then the run's state.</summary>
    private async Task FailAsync(long runId, string reason, CancellationToken cancellationToken)
    {
        RunLog.RunRefused(logger, runId, reason);
        var payload = JsonSerializer.Serialize(new Dictionary<string, string> { ["conclusion"] = "failure", ["reason"] = reason }, RunJsonContext.Default.DictionaryStringString);
        await store.Store.Runs.AppendEventAsync(runId, "run.finished", payload, cancellationToken).ConfigureAwait(false);
        await store.Store.Runs.TryCompleteRunAsync(runId, RunStatus.InProgress, Conclusion.Failure, reason, cancellationToken).ConfigureAwait(false);
        hub.Notify(runId);
    }

    /// <summary>
    /// A run the server detached from as it stopped goes back to the queue now, recorded as after a crash
    /// (its deployments stay open).
    /// </summary>
    private async Task ReleaseAsync(long runId, string owner)
    {
        try
        {
            if (await store.Store.Queue.ReleaseRunAsync(runId, owner, CancellationToken.None).ConfigureAwait(false))
            {
                RunLog.RunReleased(logger, runId);
            }
        }
        catch (Exception ex)
        {
            // The store cannot be written: the lease expires and a server resumes the run as after a crash.
            RunLog.RunCrashed(logger, ex, runId);
        }
    }

    /// <summary>A completed run leaves no deployment active (a matrix leg that never started, a failure of the server's own).</summary>
    private async Task EndDeploymentsAsync(long runId)
    {
        try
        {
            await services.GetRequiredService<EnvironmentDeployments>().EndRunAsync(runId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The store is down or the run is gone: the next deployment to the environment ends what its run left.
            RunLog.RunCrashed(logger, ex, runId);
        }
    }

    private async Task RenewLeaseAsync(long runId, string owner, RunningRun running, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var lease = options.Value.RunLease;
                await Task.Delay(lease / 3, time, cancellationToken).ConfigureAwait(false);
                if (!await store.Store.Queue.RenewRunLeaseAsync(runId, owner, lease, cancellationToken).ConfigureAwait(false))
                {
                    // Someone ended the run as lost (or it completed): it is no longer ours to run.
                    RunLog.LeaseLost(logger, runId);
                    running.CancelReason ??= "The run's lease was lost.";
                    await running.Cancellation.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
