using Shipgate.Server.Api;
using Shipgate.Storage;
using Shipgate.Storage.Approvals;
using Shipgate.Storage.Deployments;
using Shipgate.Storage.Insights;

namespace Shipgate.Server.Insights;

/// <summary>
/// DORA's measures and the approval waits, computed from Shipgate's own history (ADR 0033, docs/insights.md): the
/// deployments that ended since a day before the period (the look-back rework needs), read in one query ordered by
/// project, service, environment and end, and walked once per (service, environment); then the approvals and the
/// reviewers' decisions, one query each.
/// </summary>
internal sealed class DeliveryInsights(TimeProvider time)
{
    /// <summary>The strategy of a deployment <c>shipgate rollback</c> made.</summary>
    public const string RollbackStrategy = "rollback";

    /// <summary>How long after a change failure a deployment of its service to its environment counts as rework.</summary>
    public static readonly TimeSpan ReworkWindow = TimeSpan.FromHours(24);

    // Scopes listed by project, then environment, in ordinal order (the same on every machine and engine).
    private static readonly Comparer<(string Project, string Environment)> ByName = Comparer<(string Project, string Environment)>.Create((a, b) =>
        string.CompareOrdinal(a.Project, b.Project) is var byProject and not 0 ? byProject : string.CompareOrdinal(a.Environment, b.Environment));

    /// <summary>The insights of <paramref name="projectId"/> (null: every project) in <paramref name="environment"/> (null: every one).</summary>
    public async Task<InsightsResponse> ComputeAsync(
        ShipgateStore store, long? projectId, string? project, string? environment, InsightsPeriod period, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var deployments = await store.Insights.ReadDeploymentsAsync(projectId, environment, period.From - ReworkWindow, cancellationToken)
            .ConfigureAwait(false);
        var overall = new DeliveryTally(null, null);
        var scopes = new SortedDictionary<(string Project, string Environment), DeliveryTally>(ByName);
        var start = 0;
        for (var i = 1; i <= deployments.Count; i++)
        {
            if (i == deployments.Count || !SameStream(deployments[start], deployments[i]))
            {
                var first = deployments[start];
                var key = (first.Project, first.Environment);
                if (!scopes.TryGetValue(key, out var scope))
                {
                    scopes[key] = scope = new DeliveryTally(first.Project, first.Environment);
                }

                WalkStream(deployments, start, i, period, overall, scope);
                start = i;
            }
        }

        var approvals = await ComputeApprovalsAsync(store, projectId, environment, period, cancellationToken).ConfigureAwait(false);
        return new InsightsResponse(
            project,
            environment,
            period.From,
            period.To,
            overall.ToResponse(period),
            [.. scopes.Values.Where(s => s.Deployments > 0).Select(s => s.ToResponse(period))],
            approvals);
    }

    /// <summary>The current period of a query: <see cref="InsightsPeriod.TryParse"/> against this server's clock.</summary>
    public bool TryParsePeriod(string? since, string? from, string? to, out InsightsPeriod period, out string error) =>
        InsightsPeriod.TryParse(since, from, to, time.GetUtcNow(), out period, out error);

    /// <summary>
    /// One service's deployments to one environment [start, end), in the order they ended. A deployment counts where it
    /// ended in the period; the ones before (rework's look-back) and after (recoveries, rollbacks) only inform it.
    /// </summary>
    private static void WalkStream(
        IReadOnlyList<DeploymentFact> deployments, int start, int end, InsightsPeriod period, DeliveryTally overall, DeliveryTally scope)
    {
        // The next succeeded deployment after each index, found walking backwards once.
        var nextSuccess = new int[end - start];
        var next = -1;
        for (var i = end - 1; i >= start; i--)
        {
            nextSuccess[i - start] = next;
            if (deployments[i].Status == DeploymentStatus.Succeeded)
            {
                next = i;
            }
        }

        DateTimeOffset? lastFailure = null;
        var released = new HashSet<long>();
        for (var i = start; i < end; i++)
        {
            var deployment = deployments[i];
            var isRollback = deployment.Strategy == RollbackStrategy;
            var undone = deployment.Status == DeploymentStatus.Succeeded && !isRollback && i + 1 < end && deployments[i + 1].Strategy == RollbackStrategy;
            var failure = deployment.Status is DeploymentStatus.Failed or DeploymentStatus.RolledBack || undone;
            var rework = isRollback
                || (lastFailure is { } failedAt && deployment.CreatedAt >= failedAt && deployment.CreatedAt - failedAt <= ReworkWindow);
            lastFailure = failure ? deployment.FinishedAt : deployment.Status == DeploymentStatus.Succeeded ? null : lastFailure;
            var firstSuccessOfRelease = deployment.Status == DeploymentStatus.Succeeded && !isRollback && released.Add(deployment.ReleaseId);
            if (deployment.FinishedAt < period.From || deployment.FinishedAt >= period.To)
            {
                continue;
            }

            foreach (var tally in (ReadOnlySpan<DeliveryTally>)[overall, scope])
            {
                tally.Deployments++;
                switch (deployment.Status)
                {
                    case DeploymentStatus.Succeeded:
                        tally.Succeeded++;
                        break;
                    case DeploymentStatus.Failed:
                        tally.Failed++;
                        break;
                    default:
                        tally.RolledBack++;
                        break;
                }

                if (firstSuccessOfRelease)
                {
                    if (deployment.CommittedAt is { } committedAt)
                    {
                        tally.LeadTimes.Add(deployment.FinishedAt - committedAt);
                    }
                    else
                    {
                        tally.LeadTimeUnknown++;
                    }
                }

                if (failure)
                {
                    tally.ChangeFailures++;
                    if (nextSuccess[i - start] is var recovered and >= 0)
                    {
                        tally.RecoveryTimes.Add(deployments[recovered].FinishedAt - deployment.FinishedAt);
                    }
                    else
                    {
                        tally.Unrecovered++;
                    }
                }

                if (rework)
                {
                    tally.Rework++;
                }
            }
        }
    }

    private static async Task<ApprovalInsightsResponse> ComputeApprovalsAsync(
        ShipgateStore store, long? projectId, string? environment, InsightsPeriod period, CancellationToken cancellationToken)
    {
        var overall = new ApprovalTally(null, null);
        var scopes = new SortedDictionary<(string Project, string Environment), ApprovalTally>(ByName);
        var approvals = await store.Insights.ReadApprovalsAsync(projectId, environment, period.From, period.To, cancellationToken).ConfigureAwait(false);
        foreach (var approval in approvals)
        {
            var key = (approval.Project, approval.Environment ?? "");
            if (!scopes.TryGetValue(key, out var scope))
            {
                scopes[key] = scope = new ApprovalTally(approval.Project, approval.Environment);
            }

            foreach (var tally in (ReadOnlySpan<ApprovalTally>)[overall, scope])
            {
                switch (approval.Status)
                {
                    case ApprovalStatus.Pending:
                        tally.WaitingNow++;
                        tally.OldestWaitingSince = tally.OldestWaitingSince is { } oldest && oldest <= approval.RequestedAt ? oldest : approval.RequestedAt;
                        break;
                    case ApprovalStatus.Approved or ApprovalStatus.Rejected when approval.DecidedAt is { } decidedAt:
                        tally.Decided++;
                        tally.Waits.Add(decidedAt - approval.RequestedAt);
                        break;
                    case ApprovalStatus.Expired:
                        tally.Expired++;
                        break;
                }
            }
        }

        var reviewers = new SortedDictionary<string, (int Approved, int Rejected, DurationSamples Waits)>(StringComparer.Ordinal);
        var decisions = await store.Insights.ReadDecisionsAsync(projectId, environment, period.From, period.To, cancellationToken).ConfigureAwait(false);
        foreach (var decision in decisions)
        {
            var (approved, rejected, waits) = reviewers.TryGetValue(decision.Reviewer, out var seen) ? seen : (0, 0, new DurationSamples());
            waits.Add(decision.DecidedAt - decision.RequestedAt);
            reviewers[decision.Reviewer] = decision.Decision == ApprovalDecision.Approved ? (approved + 1, rejected, waits) : (approved, rejected + 1, waits);
        }

        return new ApprovalInsightsResponse(
            overall.ToResponse(),
            [.. scopes.Values.Select(s => s.ToResponse())],
            [.. reviewers.Select(r => new ReviewerWaitResponse(r.Key, r.Value.Approved, r.Value.Rejected, r.Value.Waits.Summary()!))]);
    }

    private static bool SameStream(DeploymentFact a, DeploymentFact b) =>
        a.Project == b.Project && a.Service == b.Service && a.Environment == b.Environment;
}
