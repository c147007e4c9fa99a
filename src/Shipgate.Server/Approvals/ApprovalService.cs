using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Shipgate.Delivery.Approvals;
using Shipgate.Server.Auth;
using Shipgate.Server.Hosting;
using Shipgate.Server.Projects;
using Shipgate.Server.Runs;
using Shipgate.Storage.Approvals;
using Shipgate.Storage.Audit;
using Shipgate.Storage.Runs;
using Shipgate.Storage.Users;
using DeliveryStatus = Shipgate.Delivery.Approvals.ApprovalStatus;
using StoreStatus = Shipgate.Storage.Approvals.ApprovalStatus;

namespace Shipgate.Server.Approvals;

/// <summary>
/// Approvals, durable in the store: a run asks (its status becomes waiting and an <c>approval.requested</c>
/// event is streamed), reviewers decide through the API with the delivery layer's rules (reviewers only,
/// no self-review where forbidden, the same person counts once, one rejection rejects, decided or expired
/// is a conflict), and the waiting run resumes.
/// </summary>
internal sealed class ApprovalService(
    ServerStore store,
    ITeamDirectory teams,
    ProjectRepositories repositories,
    RunLauncher launcher,
    ReleaseAuthors releaseAuthors,
    RunEventHub hub,
    TimeProvider time,
    ILogger<ApprovalService> logger)
{
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<long, TaskCompletionSource> _changes = new();

    /// <summary>Records the request (one per run and environment: an existing one is returned), marks the run waiting, streams it.</summary>
    public async Task<ApprovalRecord> RequestAsync(NewApproval approval, CancellationToken cancellationToken = default)
    {
        // The run is marked waiting before the approval exists, so whoever sees the approval sees a waiting run
        // (the other order let a reader find a pending approval on a run still in progress).
        var marked = await store.Store.Runs.TryTransitionRunAsync(approval.RunId, RunStatus.InProgress, RunStatus.Waiting, cancellationToken)
            .ConfigureAwait(false);
        var record = await store.Store.Approvals.RequestAsync(
            approval,
            new NewAuditEntry
            {
                Actor = approval.Initiator,
                Action = "approval.request",
                Target = $"run/{approval.RunId}",
                Reason = approval.Title,
                AfterJson = JsonSerializer.Serialize(new Dictionary<string, string> { ["environment"] = approval.Environment ?? "", ["reviewers"] = string.Join(",", approval.Reviewers) }, RunJsonContext.Default.DictionaryStringString),
            },
            cancellationToken).ConfigureAwait(false);
        if (record.Status != StoreStatus.Pending && marked)
        {
            await store.Store.Runs.TryTransitionRunAsync(record.RunId, RunStatus.Waiting, RunStatus.InProgress, cancellationToken).ConfigureAwait(false);
        }

        if (record.Status == StoreStatus.Pending)
        {
            await AppendEventAsync(record, "approval.requested", cancellationToken).ConfigureAwait(false);
            ApprovalLog.Requested(logger, record.Id, record.RunId, record.Title);
        }

        return record;
    }

    /// <summary>Waits until the approval is decided or expires (then applies on-expiry), and returns it; the run is in progress again.</summary>
    public async Task<ApprovalRecord> WaitAsync(long approvalId, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var change = NextChange(approvalId);
            var record = await store.Store.Approvals.GetAsync(approvalId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Approval {approvalId} disappeared.");
            if (record.Status == StoreStatus.Pending && record.ExpiresAt is { } expiresAt && time.GetUtcNow() >= expiresAt)
            {
                await store.Store.Approvals.TryCompleteAsync(approvalId, StoreStatus.Expired, new NewAuditEntry { Actor = "shipgate", Action = "approval.expire", Target = $"approval/{approvalId}" }, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (record.Status != StoreStatus.Pending)
            {
                _changes.TryRemove(approvalId, out _);
                await store.Store.Runs.TryTransitionRunAsync(record.RunId, RunStatus.Waiting, RunStatus.InProgress, cancellationToken).ConfigureAwait(false);
                await AppendEventAsync(record, "approval." + Name(record.Status), cancellationToken).ConfigureAwait(false);
                return record;
            }

            await Task.WhenAny(change, Task.Delay(RecheckInterval, time, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Applies <paramref name="caller"/>'s decision with the delivery layer's rules, records it, and completes the approval when it is decided.</summary>
    public async Task<DecisionAnswer> DecideAsync(long approvalId, Caller caller, ReviewVerdict verdict, string? comment, CancellationToken cancellationToken = default)
    {
        var approvals = store.Store.Approvals;
        var record = await approvals.GetAsync(approvalId, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return new DecisionAnswer(DecisionOutcomeKind.NotFound, $"There is no approval {approvalId}.", null);
        }

        if (record.Status == StoreStatus.Cancelled)
        {
            return EndedWithRun(record);
        }

        if (caller.Role < UserRole.Approver || (record.Environment is { } environment && !caller.CanApproveIn(environment)))
        {
            var scope = record.Environment is null ? "" : $" for environment '{record.Environment}'";
            return new DecisionAnswer(DecisionOutcomeKind.NotPermitted, $"Deciding approvals{scope} needs the approver role{scope}; user '{caller.Name}' is a{(caller.Role == UserRole.Admin ? "n" : "")} {ApiRoles.Name(caller.Role)}{(caller.Environments.Count > 0 ? $" for {string.Join(", ", caller.Environments)}" : "")}.", record);
        }

        var state = await StateAsync(record, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var result = state.Decide(caller.Name, verdict, comment, now);
        if (result.State.Status == DeliveryStatus.Expired && record.Status == StoreStatus.Pending)
        {
            await approvals.TryCompleteAsync(approvalId, StoreStatus.Expired, Audit(caller, "approval.expire", approvalId, null), cancellationToken).ConfigureAwait(false);
            Notify(approvalId);
        }

        if (result.Refusal is { } refusal)
        {
            var kind = refusal.Kind switch
            {
                ApprovalRefusalKind.NotAReviewer or ApprovalRefusalKind.SelfReviewForbidden => DecisionOutcomeKind.NotPermitted,
                ApprovalRefusalKind.AlreadyDecided or ApprovalRefusalKind.Expired => DecisionOutcomeKind.Conflict,
                _ => DecisionOutcomeKind.Invalid,
            };
            // A manual-approval step drops its initiator from the approvers itself: say why, not just "not a reviewer".
            var refused = refusal.Kind == ApprovalRefusalKind.NotAReviewer && record.PreventSelfReview && string.Equals(caller.Name, record.Initiator, StringComparison.OrdinalIgnoreCase)
                ? $"{caller.Name} cannot approve: {caller.Name} started the run, and this approval excludes the run's initiator"
                : refusal.Message;
            return new DecisionAnswer(kind, Sentence(refused), record);
        }

        var decision = verdict == ReviewVerdict.Approve ? ApprovalDecision.Approved : ApprovalDecision.Rejected;
        var action = verdict == ReviewVerdict.Approve ? "approval.approve" : "approval.reject";
        var recorded = await approvals.AddDecisionAsync(approvalId, caller.Name, decision, result.State.Decisions[^1].Comment, Audit(caller, action, approvalId, comment), cancellationToken).ConfigureAwait(false);
        switch (recorded.Outcome)
        {
            case DecisionOutcome.NotFound:
                return new DecisionAnswer(DecisionOutcomeKind.NotFound, $"There is no approval {approvalId}.", null);
            case DecisionOutcome.NotPending:
                // Its run may have ended in the meantime.
                return await approvals.GetAsync(approvalId, cancellationToken).ConfigureAwait(false) is { Status: StoreStatus.Cancelled } ended
                    ? EndedWithRun(ended)
                    : new DecisionAnswer(DecisionOutcomeKind.Conflict, $"Approval {approvalId} was decided already.", record);
            case DecisionOutcome.AlreadyDecided:
                return new DecisionAnswer(DecisionOutcomeKind.CountedOnce, $"{caller.Name} decided approval {approvalId} before; the same person counts once.", record);
        }

        if (result.State.Status is DeliveryStatus.Approved or DeliveryStatus.Rejected)
        {
            var status = result.State.Status == DeliveryStatus.Approved ? StoreStatus.Approved : StoreStatus.Rejected;
            if (await approvals.TryCompleteAsync(approvalId, status, null, cancellationToken).ConfigureAwait(false) && record.Kind == ApprovalKind.Environment)
            {
                // An environment's gates re-evaluate rather than wait on the approval: its decision goes in the
                // run's stream here (webhooks tell it on); a manual-approval step records its own in WaitAsync.
                await AppendEventAsync(record with { Status = status }, "approval." + Name(status), cancellationToken).ConfigureAwait(false);
            }
        }

        Notify(approvalId);
        ApprovalLog.Decided(logger, approvalId, caller.Name, verdict.ToString());
        var after = await approvals.GetAsync(approvalId, cancellationToken).ConfigureAwait(false);
        var message = after?.Status switch
        {
            StoreStatus.Approved => $"Approval {approvalId} is approved; the run goes on.",
            StoreStatus.Rejected => $"Approval {approvalId} is rejected.",
            _ => $"Recorded {caller.Name}'s approval of {approvalId}; it needs {record.Required - recorded.Approvals} more.",
        };
        return new DecisionAnswer(DecisionOutcomeKind.Recorded, message, after);
    }

    /// <summary>A task that completes at the approval's next decision (take it before reading the approval).</summary>
    public Task NextChange(long approvalId) =>
        _changes.GetOrAdd(approvalId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>The stored approval as the delivery layer's state machine, or null when it does not exist.</summary>
    public async Task<ApprovalState?> LoadStateAsync(long approvalId, CancellationToken cancellationToken = default) =>
        await store.Store.Approvals.GetAsync(approvalId, cancellationToken).ConfigureAwait(false) is { } record
            ? await StateAsync(record, cancellationToken).ConfigureAwait(false)
            : null;

    /// <summary>Streams an event of the run's approvals or gates (kind and fields) to its readers.</summary>
    public async Task AppendRunEventAsync(long runId, string kind, Dictionary<string, string> payload, CancellationToken cancellationToken = default)
    {
        await store.Store.Runs.AppendEventAsync(runId, kind, JsonSerializer.Serialize(payload, RunJsonContext.Default.DictionaryStringString), cancellationToken).ConfigureAwait(false);
        hub.Notify(runId);
    }

    /// <summary>The approval as the delivery layer's state machine sees it: its policy (teams expanded) and the decisions so far.</summary>
    private async Task<ApprovalState> StateAsync(ApprovalRecord record, CancellationToken cancellationToken)
    {
        var reviewers = new List<ApprovalReviewer>();
        foreach (var entry in record.Reviewers)
        {
            if (entry.StartsWith("team:", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var member in await teams.GetMembersAsync(entry[5..], cancellationToken).ConfigureAwait(false) ?? [])
                {
                    reviewers.Add(new ApprovalReviewer(member, [entry]));
                }
            }
            else
            {
                reviewers.Add(new ApprovalReviewer(entry, []));
            }
        }

        var (commitAuthor, contributors) = await ReleasePeopleAsync(record, cancellationToken).ConfigureAwait(false);
        var policy = new ApprovalPolicy
        {
            Reviewers = [.. reviewers.DistinctBy(r => r.User, StringComparer.OrdinalIgnoreCase)],
            Required = record.Required,
            PreventSelfReview = record.PreventSelfReview,
            Initiator = record.Initiator,
            CommitAuthor = commitAuthor,
            Contributors = contributors,
            ExpiresAfter = record.ExpiresAt - record.RequestedAt,
            ReviewerEntries = record.Reviewers,
        };
        var decisions = await store.Store.Approvals.ListDecisionsAsync(record.Id, cancellationToken).ConfigureAwait(false);
        var key = new ApprovalKey(record.RunId.ToString(CultureInfo.InvariantCulture), record.Environment ?? "step:" + record.JobKey);
        return ApprovalState.Open(key, policy, record.RequestedAt) with
        {
            Status = record.Status switch
            {
                StoreStatus.Approved => DeliveryStatus.Approved,
                StoreStatus.Rejected => DeliveryStatus.Rejected,
                StoreStatus.Expired => DeliveryStatus.Expired,
                _ => DeliveryStatus.Pending,
            },
            ClosedAt = record.DecidedAt,
            ExpiredAt = record.Status == StoreStatus.Expired ? record.DecidedAt : null,
            Decisions = [.. decisions.Select(d => new ReviewDecision(d.User, d.Decision == ApprovalDecision.Approved ? ReviewVerdict.Approve : ReviewVerdict.Reject, d.Comment, d.At))],
        };
    }

    /// <summary>
    /// For prevent-self-review: the Shipgate user who wrote the run's commit (mapped by email), and everyone who wrote or
    /// committed a commit of the release (<see cref="ReleaseAuthors"/>).
    /// </summary>
    private async Task<(string? CommitAuthor, IReadOnlyList<ReleaseContributor> Contributors)> ReleasePeopleAsync(
        ApprovalRecord record,
        CancellationToken cancellationToken)
    {
        var run = await store.Store.Runs.GetRunAsync(record.RunId, cancellationToken).ConfigureAwait(false);
        var project = run is null ? null : await store.Store.Projects.GetAsync(run.ProjectId, cancellationToken).ConfigureAwait(false);
        if (project is null || !record.PreventSelfReview)
        {
            return (null, []);
        }

        var repository = repositories.For(project);
        var author = (await launcher.ResolveActorAsync(repository, run!.Sha, cancellationToken).ConfigureAwait(false)).Initiator;
        var (contributors, _) = await releaseAuthors.ResolveAsync(repository, run, record.Environment, cancellationToken).ConfigureAwait(false);
        return (author, contributors);
    }

    private async Task AppendEventAsync(ApprovalRecord record, string kind, CancellationToken cancellationToken)
    {
        var payload = new Dictionary<string, string>
        {
            ["approvalId"] = record.Id.ToString(CultureInfo.InvariantCulture),
            ["title"] = record.Title,
            ["status"] = Name(record.Status),
            ["reviewers"] = string.Join(", ", record.Reviewers),
        };
        if (record.Environment is not null)
        {
            payload["environment"] = record.Environment;
        }

        if (record.JobKey is not null)
        {
            payload["jobKey"] = record.JobKey;
        }

        await store.Store.Runs.AppendEventAsync(record.RunId, kind, JsonSerializer.Serialize(payload, RunJsonContext.Default.DictionaryStringString), cancellationToken).ConfigureAwait(false);
        hub.Notify(record.RunId);
    }

    private void Notify(long approvalId)
    {
        if (_changes.TryRemove(approvalId, out var change))
        {
            change.TrySetResult();
        }
    }

    private static DecisionAnswer EndedWithRun(ApprovalRecord record) =>
        new(DecisionOutcomeKind.Conflict, $"Approval {record.Id} ended with its run (cancelled).", record);

    private static NewAuditEntry Audit(Caller caller, string action, long approvalId, string? comment) =>
        UserEndpoints.Audit(caller, action, $"approval/{approvalId}", reason: comment);

    internal static string Name(StoreStatus status) => status switch
    {
        StoreStatus.Pending => "pending",
        StoreStatus.Approved => "approved",
        StoreStatus.Rejected => "rejected",
        StoreStatus.Cancelled => "cancelled",
        _ => "expired",
    };

    /// <summary>The delivery layer's reason as a sentence; not capitalised, as it often starts with a user name.</summary>
    private static string Sentence(string message) => message.EndsWith('.') ? message : message + ".";
}
