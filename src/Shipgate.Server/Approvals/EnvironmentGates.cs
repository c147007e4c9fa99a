using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Shipgate.Delivery.Approvals;
using Shipgate.Delivery.Configuration;
using Shipgate.Delivery.Gates;
using Shipgate.Server.Auth;
using Shipgate.Server.Deployments;
using Shipgate.Server.Git;
using Shipgate.Server.Hosting;
using Shipgate.Server.Runs;
using Shipgate.Storage.Approvals;
using Shipgate.Storage.Audit;
using Shipgate.Storage.Deployments;
using Shipgate.Storage.Projects;
using Shipgate.Storage.Runs;

namespace Shipgate.Server.Approvals;

/// <summary>
/// The environment gates of the server: <see cref="ForRun"/> gives the engine a run's <see cref="Engine.Runs.IJobGate"/>,
/// which holds each job that names an <c>environment:</c> before its steps until the environment's gates
/// (the protected branch's rules, tightened by the run's commit: branches, freeze windows, mode or approval, wait
/// timer) pass, and fails the job with the reason when they fail. One approval covers every job and matrix leg of
/// the run that targets the environment. Self-review is checked against everyone who wrote, committed or started
/// the release (<see cref="ReleaseAuthors"/>); a pull-request run is checked against its merge ref, and its refusal is audited.
/// </summary>
internal sealed class EnvironmentGates(
    ServerStore store,
    ApprovalService approvals,
    EnvironmentDeployments deployments,
    RunLauncher launcher,
    ReleaseAuthors releaseAuthors,
    RunEventHub hub,
    ITeamDirectory teams,
    TimeProvider time,
    ILogger<EnvironmentGates> logger)
{
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(2);
    private static readonly Task Never = new TaskCompletionSource().Task;

    /// <summary>The run event that records an admin's freeze override.</summary>
    public const string FreezeOverrideEvent = "environment.freeze-overridden";

    /// <summary>The gate of one run's jobs: it remembers the environments the run passed, so later jobs and legs pass at once.</summary>
    public RunEnvironmentGate ForRun(RunRecord run, ProjectRecord project, GitRepository repository) =>
        new(this, store, deployments, run, project, repository, new RunWaiting(store, hub, run.Id));

    /// <summary>Evaluates the environment's gates until they pass (null) or fail (the reason).</summary>
    public async Task<string?> GateAsync(
        RunRecord run,
        ProjectRecord project,
        EnvironmentDefinition environment,
        RulesVersion rules,
        GitRepository repository,
        string jobKey,
        RunWaiting runWaiting,
        CancellationToken cancellationToken = default)
    {
        var gatekeeper = new EnvironmentGatekeeper(time, teams);
        var key = new ApprovalKey(run.Id.ToString(CultureInfo.InvariantCulture), environment.Name);
        var existing = (await store.Store.Approvals.ListAsync(new ApprovalQuery { RunId = run.Id }, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(a => a.Kind == ApprovalKind.Environment && string.Equals(a.Environment, environment.Name, StringComparison.OrdinalIgnoreCase));
        var approvalId = existing?.Id;
        var requestedAt = existing?.RequestedAt ?? time.GetUtcNow();
        var commitAuthor = (await launcher.ResolveActorAsync(repository, run.Sha, cancellationToken).ConfigureAwait(false)).Initiator;
        var (contributors, unknownAuthor) = environment is { Mode: EnvironmentMode.Delivery, Approval: not null }
            ? await releaseAuthors.ResolveAsync(repository, run, environment.Name, cancellationToken).ConfigureAwait(false)
            : ([], null);
        var waiting = false;
        var announced = false;
        FreezeOverride? freezeOverride = null;
        long scanned = 0;
        try
        {
            while (true)
            {
                var change = approvalId is { } id ? approvals.NextChange(id) : Never;
                var state = approvalId is { } current ? await approvals.LoadStateAsync(current, cancellationToken).ConfigureAwait(false) : null;
                if (freezeOverride is null && environment.Freeze.Count > 0)
                {
                    (freezeOverride, scanned) = await FindFreezeOverrideAsync(run.Id, environment.Name, scanned, cancellationToken).ConfigureAwait(false);
                }

                var outcome = await gatekeeper.EvaluateAsync(
                    new EnvironmentGateRequest
                    {
                        RunId = key.RunId,
                        Environment = environment,
                        Ref = PullRequestRuns.GateRef(run),
                        RequestedAt = requestedAt,
                        Initiator = run.Initiator,
                        CommitAuthor = commitAuthor,
                        Contributors = contributors,
                        UnknownAuthor = unknownAuthor,
                        Approval = state is null ? null : state with { Key = key },
                        FreezeOverride = freezeOverride,
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
                    if (!waiting)
                    {
                        waiting = true;
                        await runWaiting.EnterAsync().ConfigureAwait(false);
                    }

                    continue;
                }

                ApprovalLog.EnvironmentGate(logger, run.Id, environment.Name, outcome.Status.ToString(), outcome.Result.Reason);
                var payload = new Dictionary<string, string>
                {
                    ["environment"] = environment.Name,
                    ["reason"] = outcome.Result.Reason,
                    ["rules"] = rules.ToString(),
                };
                if (outcome.Status != GateStatus.Pending)
                {
                    await RecordDecisionsAsync(run, jobKey, approvalId, outcome, cancellationToken).ConfigureAwait(false);
                }

                switch (outcome.Status)
                {
                    case GateStatus.Pass:
                        await approvals.AppendRunEventAsync(run.Id, "environment.passed", payload, cancellationToken).ConfigureAwait(false);
                        return null;
                    case GateStatus.Fail:
                        await approvals.AppendRunEventAsync(run.Id, "environment.failed", payload, cancellationToken).ConfigureAwait(false);
                        if (PullRequestRuns.Is(run))
                        {
                            await store.Store.Audit.AppendAsync(
                                new NewAuditEntry
                                {
                                    Actor = run.Actor,
                                    Action = "environment.refuse",
                                    Target = $"run/{run.Id}",
                                    Reason = $"Pull request run {run.Id} may not enter {environment.Name}: {outcome.Result.Reason}.",
                                },
                                cancellationToken).ConfigureAwait(false);
                        }

                        return $"Environment {environment.Name}: {outcome.Result.Reason}";
                }

                if (!announced)
                {
                    announced = true;
                    if (!waiting)
                    {
                        waiting = true;
                        await runWaiting.EnterAsync().ConfigureAwait(false);
                    }

                    if (approvalId is { } waitingFor)
                    {
                        // Webhooks announce an approval wait once, from approval.requested.
                        payload["approvalId"] = waitingFor.ToString(CultureInfo.InvariantCulture);
                    }

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
                await runWaiting.LeaveAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Lets the run's deployment to <paramref name="environment"/> through its freeze windows, for an admin
    /// with a reason: audited, and recorded in the run's event stream, where the gate finds it (also after a restart).
    /// </summary>
    public async Task<DecisionAnswer> OverrideFreezeAsync(long runId, string environment, Caller caller, string? reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var run = await store.Store.Runs.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return new DecisionAnswer(DecisionOutcomeKind.NotFound, $"There is no run {runId}.", null);
        }

        if (run.Status == RunStatus.Completed)
        {
            return new DecisionAnswer(DecisionOutcomeKind.Conflict, $"Run {runId} is completed, so there is no deployment to let through.", null);
        }

        if (!FreezeOverride.TryCreate(caller.Name, reason, time.GetUtcNow(), out var granted, out var error))
        {
            return new DecisionAnswer(DecisionOutcomeKind.Invalid, char.ToUpperInvariant(error![0]) + error[1..] + ".", null);
        }

        var payload = new Dictionary<string, string> { ["environment"] = environment, ["by"] = granted!.By, ["reason"] = granted.Reason };
        await store.Store.Audit.AppendAsync(
            UserEndpoints.Audit(caller, "freeze.override", $"run/{runId}", granted.Reason, after: JsonSerializer.Serialize(new Dictionary<string, string> { ["environment"] = environment }, RunJsonContext.Default.DictionaryStringString)),
            cancellationToken).ConfigureAwait(false);
        await approvals.AppendRunEventAsync(runId, FreezeOverrideEvent, payload, cancellationToken).ConfigureAwait(false);
        return new DecisionAnswer(DecisionOutcomeKind.Recorded, $"Run {runId} may deploy to {environment} through its freeze window.", null);
    }

    /// <summary>An admin's freeze override for the run and environment in the run's events after <paramref name="after"/>, and how far it looked.</summary>
    private async Task<(FreezeOverride? Granted, long Scanned)> FindFreezeOverrideAsync(long runId, string environment, long after, CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = await store.Store.Runs.ListEventsAsync(runId, after, 1000, cancellationToken).ConfigureAwait(false);
            foreach (var entry in page.Where(e => e.Kind == FreezeOverrideEvent))
            {
                if (JsonSerializer.Deserialize(entry.PayloadJson, RunJsonContext.Default.DictionaryStringString) is { } payload
                    && string.Equals(payload.GetValueOrDefault("environment"), environment, StringComparison.OrdinalIgnoreCase)
                    && FreezeOverride.TryCreate(payload.GetValueOrDefault("by") ?? "admin", payload.GetValueOrDefault("reason"), entry.At, out var granted, out _))
                {
                    return (granted, entry.Sequence);
                }
            }

            if (page.Count < 1000)
            {
                return (null, page.Count > 0 ? page[^1].Sequence : after);
            }

            after = page[^1].Sequence;
        }
    }

    /// <summary>What each gate answered in the end, for the record ("automatic by policy", who approved, the branch).</summary>
    private async Task RecordDecisionsAsync(RunRecord run, string jobKey, long? approvalId, EnvironmentGateOutcome outcome, CancellationToken cancellationToken)
    {
        foreach (var gate in outcome.Gates)
        {
            await store.Store.Deployments.RecordGateDecisionAsync(
                new NewGateDecision
                {
                    RunId = run.Id,
                    JobKey = jobKey,
                    ApprovalId = gate.Gate == GateNames.Approval ? approvalId : null,
                    Gate = gate.Gate,
                    Result = gate.Status switch
                    {
                        GateStatus.Pass => Storage.Deployments.GateResult.Pass,
                        GateStatus.Fail => Storage.Deployments.GateResult.Fail,
                        _ => Storage.Deployments.GateResult.Pending,
                    },
                    Reason = gate.Reason,
                },
                cancellationToken).ConfigureAwait(false);
        }
    }

    private static TimeSpan Clamp(TimeSpan wait) => wait < TimeSpan.FromMilliseconds(50) ? TimeSpan.FromMilliseconds(50) : wait > RecheckInterval ? RecheckInterval : wait;
}
