using Shipgate.Delivery.Approvals;
using Shipgate.Delivery.Configuration;

namespace Shipgate.Delivery.Gates;

/// <summary>
/// <c>mode: delivery</c>: the environment's approval. Pending until enough reviewers approve; fails when
/// rejected, expired, or when the policy can never be satisfied (too few reviewers may approve).
/// </summary>
internal sealed class ApprovalGate : IEnvironmentGate
{
    public static ApprovalGate Instance { get; } = new();

    public GateResult Evaluate(EnvironmentGateContext context)
    {
        var opened = context.Request.Approval;
        var policy = opened?.Policy ?? context.ResolvedPolicy;
        if (policy is null)
        {
            return GateResult.Fail(GateNames.Approval, $"{context.EnvironmentName} is in delivery mode but has no approval policy");
        }

        var approvals = opened?.ApprovedBy.Count ?? 0;
        GateNumber[] numbers =
        [
            new("approvals", approvals),
            new("required", policy.Required),
            new("eligible", policy.EligibleApprovers.Count),
        ];
        var state = opened?.Expire(context.Now);
        switch (state?.Status)
        {
            case ApprovalStatus.Approved:
                return GateResult.Pass(GateNames.Approval, $"approved by {string.Join(", ", state.ApprovedBy)}", numbers);
            case ApprovalStatus.Rejected:
                var rejection = state.Decisions.Last(d => d.Verdict == ReviewVerdict.Reject);
                return GateResult.Fail(GateNames.Approval, $"rejected by {rejection.User}: {rejection.Comment}", numbers);
            case ApprovalStatus.Expired:
                return GateResult.Fail(GateNames.Approval, $"the approval expired after {DurationText.Format(policy.ExpiresAfter ?? TimeSpan.Zero)} with {approvals} of {policy.Required} approvals", numbers);
        }

        if (policy.UnsatisfiableReason() is { } impossible)
        {
            return GateResult.Fail(GateNames.Approval, impossible, numbers);
        }

        var missing = policy.Required - approvals;
        var reason = $"waiting for {missing} {(approvals > 0 ? "more " : "")}approval{(missing == 1 ? "" : "s")} from {policy.DescribeReviewers()}";
        DateTimeOffset? retryAt = null;
        if (state?.ExpiredAt is { } overdue)
        {
            reason += $" (past its expiry at {GateTime.Utc(overdue)}; it keeps waiting)";
        }
        else if (state?.ExpiresAt is { } expiresAt)
        {
            reason += $" until {GateTime.Utc(expiresAt)}";
            retryAt = expiresAt;
        }

        return GateResult.Pending(GateNames.Approval, reason, retryAt, numbers);
    }
}
