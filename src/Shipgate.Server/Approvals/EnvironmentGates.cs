using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Shipgate.Delivery.Approvals;
using Shipgate.Delivery.Configuration;
using Shipgate.Delivery.Gates;
using Shipgate.Server.Git;
using Shipgate.Server.Hosting;
using Shipgate.Storage.Approvals;
using Shipgate.Storage.Projects;
using Shipgate.Storage.Runs;

namespace Shipgate.Server.Approvals;

/// <summary>
/// Holds a job that names an <c>environment:</c> until the environment's gates (shipgate.yml at the run's
/// commit: branches, freeze windows, mode or approval, wait timer) pass. Called when the engine reports the
/// job started, which it awaits before the job's steps run. One approval covers every job and matrix leg of
/// the run that targets the environment. A failed gate, or a malformed shipgate.yml, cancels the run with
/// the reason, so nothing is deployed.
/// </summary>
internal sealed class EnvironmentGates(
    ServerStore store,
    ApprovalService approvals,
    ITeamDirectory teams,
    TimeProvider time,
    ILogger<EnvironmentGates> logger)
{
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(2);
    private static readonly Task Never = new TaskCompletionSource().Task;

    /// <summary>The gates of one run: the environments it passed, so later jobs and legs pass at once.</summary>
    /// <remarks><paramref name="runCancelled"/> is the run's cancellation (the engine hands observers no token): a cancelled run stops waiting.</remarks>
    public RunGates ForRun(RunRecord run, ProjectRecord project, GitRepository repository, Action<string> cancelRun, CancellationToken runCancelled) =>
        new(this, run, project, repository, cancelRun, runCancelled);

    internal sealed class RunGates(EnvironmentGates gates, RunRecord run, ProjectRecord project, GitRepository repository, Action<string> cancelRun, CancellationToken runCancelled)
    {
        private readonly ConcurrentDictionary<string, bool> _passed = new(StringComparer.OrdinalIgnoreCase);
        private ShipgateConfigLoadResult? _config;

        /// <summary>Returns when the job may start; cancels the run when it may not. Returns at once when the run is cancelled.</summary>
        public async Task EnterAsync(string environmentName, CancellationToken cancellationToken = default)
        {
            if (_passed.ContainsKey(environmentName))
            {
                return;
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, runCancelled);
            try
            {
                await EnterCoreAsync(environmentName, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (runCancelled.IsCancellationRequested)
            {
                // The engine sees the cancelled run and does not start the job's steps.
            }
        }

        private async Task EnterCoreAsync(string environmentName, CancellationToken cancellationToken)
        {
            _config ??= await LoadConfigAsync(cancellationToken).ConfigureAwait(false);
            if (_config.HasErrors)
            {
                cancelRun($"{ShipgateConfig.FileName} is not valid, so nothing is deployed: {_config.Errors.First()}");
                return;
            }

            if (_config.Config?.FindEnvironment(environmentName) is not { } environment)
            {
                // As on GitHub, an environment without rules is just a name: the job goes ahead.
                _passed[environmentName] = true;
                return;
            }

            if (await gates.GateAsync(run, project, environment, repository, cancellationToken).ConfigureAwait(false) is { } refusal)
            {
                cancelRun(refusal);
                return;
            }

            _passed[environmentName] = true;
        }

        private async Task<ShipgateConfigLoadResult> LoadConfigAsync(CancellationToken cancellationToken) =>
            await repository.ReadFileAsync(run.Sha, ShipgateConfig.FileName, cancellationToken).ConfigureAwait(false) is { } text
                ? ShipgateConfigLoader.LoadText(text, ShipgateConfig.FileName)
                : new ShipgateConfigLoadResult { Config = ShipgateConfig.Empty, Diagnostics = [] };
    }

    /// <summary>Evaluates the environment's gates until they pass (null) or fail (the reason).</summary>
    private async Task<string?> GateAsync(RunRecord run, ProjectRecord project, EnvironmentDefinition environment, GitRepository repository, CancellationToken cancellationToken)
    {
        var gatekeeper = new EnvironmentGatekeeper(time, teams);
        var key = new ApprovalKey(run.Id.ToString(CultureInfo.InvariantCulture), environment.Name);
        var existing = (await store.Store.Approvals.ListAsync(new ApprovalQuery { RunId = run.Id }, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(a => a.Kind == ApprovalKind.Environment && string.Equals(a.Environment, environment.Name, StringComparison.OrdinalIgnoreCase));
        var approvalId = existing?.Id;
        var requestedAt = existing?.RequestedAt ?? time.GetUtcNow();
        var commitAuthor = (await repository.AuthorAsync(run.Sha, cancellationToken).ConfigureAwait(false)) is { Email.Length: > 0 } author
            ? (await store.Store.Users.FindUserByEmailAsync(author.Email, cancellationToken).ConfigureAwait(false))?.Name
            : null;
        var waiting = false;
        try
        {
            while (true)
            {
                var change = approvalId is { } id ? approvals.NextChange(id) : Never;
                var state = approvalId is { } current ? await approvals.LoadStateAsync(current, cancellationToken).ConfigureAwait(false) : null;
                var outcome = await gatekeeper.EvaluateAsync(
                    new EnvironmentGateRequest
                    {
                        RunId = key.RunId,
                        Environment = environment,
                        Ref = run.Ref,
                        RequestedAt = requestedAt,
                        Initiator = run.Initiator,
                        CommitAuthor = commitAuthor,
                        Approval = state is null ? null : state with { Key = key },
                    },
                    cancellationToken).ConfigureAwait(false);
                if (outcome.ApprovalToOpen is { } policy)
                {
                    var record = await approvals.RequestAsync(
                        new NewApproval
                        {
                            RunId = run.Id,
                            RunAttempt = run.Attempt,
                            ProjectId = run.ProjectId,
                            Kind = ApprovalKind.Environment,
                            Environment = environment.Name,
                            Title = $"Deploy {project.Name} {run.Sha[..Math.Min(7, run.Sha.Length)]} ({run.Ref}) to {environment.Name}",
                            Body = policy.Instructions ?? "",
                            Reviewers = policy.ReviewerEntries,
                            Required = policy.Required,
                            PreventSelfReview = policy.PreventSelfReview,
                            Initiator = run.Initiator,
                            // Only on-expiry: reject ends the approval when it expires; keep-waiting leaves it open (the gate notes the expiry).
                            ExpiresAt = policy.ExpiresAfter is { } after && policy.OnExpiry == ApprovalExpiryAction.Reject ? outcome.EvaluatedAt + after : null,
                        },
                        cancellationToken).ConfigureAwait(false);
                    approvalId = record.Id;
                    waiting = true;
                    continue;
                }

                ApprovalLog.EnvironmentGate(logger, run.Id, environment.Name, outcome.Status.ToString(), outcome.Result.Reason);
                var payload = new Dictionary<string, string> { ["environment"] = environment.Name, ["reason"] = outcome.Result.Reason };
                switch (outcome.Status)
                {
                    case GateStatus.Pass:
                        await approvals.AppendRunEventAsync(run.Id, "environment.passed", payload, cancellationToken).ConfigureAwait(false);
                        return null;
                    case GateStatus.Fail:
                        await approvals.AppendRunEventAsync(run.Id, "environment.failed", payload, cancellationToken).ConfigureAwait(false);
                        return $"Environment {environment.Name}: {outcome.Result.Reason}";
                }

                if (!waiting)
                {
                    waiting = await store.Store.Runs.TryTransitionRunAsync(run.Id, RunStatus.InProgress, RunStatus.Waiting, cancellationToken).ConfigureAwait(false);
                    await approvals.AppendRunEventAsync(run.Id, "environment.waiting", payload, cancellationToken).ConfigureAwait(false);
                }

                var retry = outcome.Result.RetryAt is { } at ? Clamp(at - time.GetUtcNow()) : RecheckInterval;
                await Task.WhenAny(change, Task.Delay(retry, time, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            if (waiting)
            {
                await store.Store.Runs.TryTransitionRunAsync(run.Id, RunStatus.Waiting, RunStatus.InProgress, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private static TimeSpan Clamp(TimeSpan wait) => wait < TimeSpan.FromMilliseconds(50) ? TimeSpan.FromMilliseconds(50) : wait > RecheckInterval ? RecheckInterval : wait;
}
