using System.Collections.Concurrent;
using Shipgate.Delivery.Configuration;
using Shipgate.Engine.Runs;
using Shipgate.Server.Deployments;
using Shipgate.Server.Git;
using Shipgate.Server.Hosting;
using Shipgate.Server.Runs;
using Shipgate.Storage.Deployments;
using Shipgate.Storage.Projects;
using Shipgate.Storage.Runs;

namespace Shipgate.Server.Approvals;

/// <summary>
/// The <see cref="IJobGate"/> of one server run. For each environment the run's jobs name: its protection rules,
/// from shipgate.yml at the head of the project's protected branch, read now, tightened (never loosened) by
/// shipgate.yml at the run's commit (<see cref="ProtectionRules"/>; either file malformed: every such job fails with
/// the positioned error, nothing is deployed); the environment's gates, passed or refused once for the whole run;
/// then the run's deployment to it (queued while another deployment of the service to the environment is active),
/// which records the rules' version, is shared by every job and matrix leg of the run going there and ends when the
/// last of them ends. A passing job gets the environment's secrets and variables over the project's (a pull-request
/// run only where <see cref="PullRequestRuns.MayReceiveSecrets"/>).
/// </summary>
internal sealed class RunEnvironmentGate(
    EnvironmentGates gates,
    ServerStore store,
    EnvironmentDeployments deployments,
    RunRecord run,
    ProjectRecord project,
    GitRepository repository,
    RunWaiting waiting) : IJobGate
{
    private readonly ConcurrentDictionary<string, EnvironmentEntry> _environments = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _configLock = new(1, 1);
    private ShipgateConfigLoadResult? _config;

    /// <summary>The first refusal of the run's gates, the run's reason when it fails.</summary>
    public string? FirstRefusal { get; private set; }

    public async Task<JobGateDecision> EnterAsync(JobGateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entry = _environments.GetOrAdd(request.Environment, _ => new EnvironmentEntry());
        await entry.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!entry.Passed && entry.Refusal is null)
            {
                entry.Refusal = await GateAsync(request, entry, cancellationToken).ConfigureAwait(false);
                entry.Passed = entry.Refusal is null;
                FirstRefusal ??= entry.Refusal;
            }

            if (entry.Refusal is { } refusal)
            {
                return JobGateDecision.Fail(refusal);
            }

            if (entry.Deployment is null)
            {
                entry.Deployment = await deployments.StartAsync(run, project, request.Environment, request.JobKey, waiting, entry.Rules, cancellationToken)
                    .ConfigureAwait(false);
                entry.Expected = 0;
                entry.Outcomes.Clear();
                entry.Jobs.Clear();
            }

            if (entry.Jobs.Add(JobOf(request)))
            {
                entry.Expected += request.LegCount;
            }

            var secrets = PullRequestRuns.MayReceiveSecrets(run, project)
                ? await store.Store.Secrets.GetSecretsAsync(project.Id, request.Environment, cancellationToken).ConfigureAwait(false)
                : new Dictionary<string, string>();
            var variables = await store.Store.Secrets.GetVariablesAsync(project.Id, request.Environment, cancellationToken).ConfigureAwait(false);
            return JobGateDecision.Pass(secrets, variables);
        }
        finally
        {
            entry.Lock.Release();
        }
    }

    public async Task LeaveAsync(JobGateRequest request, JobRunResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(result);
        var entry = _environments[request.Environment];
        await entry.Lock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            entry.Outcomes.Add(result.Outcome);
            if (entry.Outcomes.Count < entry.Expected || entry.Deployment is not { } deployment)
            {
                return;
            }

            // The last job (or leg) of the run in this environment ended: so does the deployment.
            entry.Deployment = null;
            var (status, reason) = entry.Outcomes.Contains(Conclusion.Failure) ? (DeploymentStatus.Failed, result.Outcome == Conclusion.Failure ? result.Reason : "A job of the deployment failed.")
                : entry.Outcomes.Contains(Conclusion.Cancelled) ? (DeploymentStatus.Cancelled, "A job of the deployment was cancelled.")
                : (DeploymentStatus.Succeeded, null);
            await deployments.FinishAsync(run.Id, deployment, status, reason, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            entry.Lock.Release();
        }
    }

    private async Task<string?> GateAsync(JobGateRequest request, EnvironmentEntry entry, CancellationToken cancellationToken)
    {
        var commit = await CommitConfigAsync(cancellationToken).ConfigureAwait(false);
        if (commit.HasErrors)
        {
            return $"{ShipgateConfig.FileName} is not valid, so nothing is deployed: {commit.Errors.First()}";
        }

        // The rules come from the protected branch as it is now: a commit cannot commit its gate away.
        var branch = project.DefaultBranch;
        if (await repository.ResolveCommitAsync("refs/heads/" + branch, cancellationToken).ConfigureAwait(false) is not { } head)
        {
            return $"The protected branch '{branch}' does not exist, so the rules of {request.Environment} cannot be read and nothing is deployed.";
        }

        var trusted = head == run.Sha ? commit : await LoadAsync(head, cancellationToken).ConfigureAwait(false);
        if (trusted.HasErrors)
        {
            return $"{ShipgateConfig.FileName} on the protected branch '{branch}' is not valid, so nothing is deployed: {trusted.Errors.First()}";
        }

        var rules = ProtectionRules.Tighten(trusted.Config?.FindEnvironment(request.Environment), commit.Config?.FindEnvironment(request.Environment));
        entry.Rules = new RulesVersion(branch, head, rules.Tightened);

        // As on GitHub, an environment without rules is just a name: the job goes ahead.
        return rules.Effective is { } environment
            ? await gates.GateAsync(run, project, environment, entry.Rules, repository, request.JobKey, waiting, cancellationToken).ConfigureAwait(false)
            : null;
    }

    private async Task<ShipgateConfigLoadResult> CommitConfigAsync(CancellationToken cancellationToken)
    {
        await _configLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _config ??= await LoadAsync(run.Sha, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _configLock.Release();
        }
    }

    private async Task<ShipgateConfigLoadResult> LoadAsync(string sha, CancellationToken cancellationToken) =>
        await repository.ReadFileAsync(sha, ShipgateConfig.FileName, cancellationToken).ConfigureAwait(false) is { } text
            ? ShipgateConfigLoader.LoadText(text, ShipgateConfig.FileName)
            : new ShipgateConfigLoadResult { Config = ShipgateConfig.Empty, Diagnostics = [] };

    /// <summary>The job a leg belongs to: its key without the leg's <c>[n]</c>.</summary>
    private static string JobOf(JobGateRequest request) =>
        request.MatrixJson is not null && request.JobKey.EndsWith(']') && request.JobKey.LastIndexOf('[') is > 0 and var at ? request.JobKey[..at] : request.JobKey;

    private sealed class EnvironmentEntry
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);

        public bool Passed { get; set; }

        public string? Refusal { get; set; }

        /// <summary>The version of the rules the environment's gates were evaluated under; null when not yet evaluated.</summary>
        public RulesVersion? Rules { get; set; }

        public DeploymentRecord? Deployment { get; set; }

        /// <summary>The jobs in the current deployment, and how many legs they have in all.</summary>
        public HashSet<string> Jobs { get; } = new(StringComparer.Ordinal);

        public int Expected { get; set; }

        public List<Conclusion> Outcomes { get; } = [];
    }
}
