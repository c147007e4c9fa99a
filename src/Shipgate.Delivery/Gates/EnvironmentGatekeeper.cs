using Shipgate.Delivery.Approvals;
using Shipgate.Delivery.Configuration;

namespace Shipgate.Delivery.Gates;

/// <summary>
/// Evaluates the gates of an environment for a run's job, at the moment its <see cref="TimeProvider"/> says.
/// The gates, in this order (the order of the audit entry and of the UI; the first failure, else the first
/// pending gate, gives the combined reason):
/// <list type="number">
/// <item><c>branch</c>, when the environment lists <c>branches</c>: a wrong ref fails at once and nobody is asked;</item>
/// <item><c>freeze</c>, when it has <c>freeze</c> windows: pending until the frozen period ends, unless overridden;</item>
/// <item><c>mode</c> (deployment: passes, automatic by policy) or <c>approval</c> (delivery: people decide);</item>
/// <item><c>wait-timer</c>, when it has one: pending until the request is that old.</item>
/// </list>
/// Every applicable gate is evaluated every time, so that each answer is recorded; they are independent, so an
/// approval can be given during a freeze or a wait timer, and the job starts when all pass. Call it again at
/// <see cref="GateResult.RetryAt"/> of the combined result and whenever an input changes (a decision, an override).
/// </summary>
public sealed class EnvironmentGatekeeper(TimeProvider timeProvider, ITeamDirectory teams)
{
    /// <summary>Evaluates <paramref name="request"/> now; resolves the approval policy (team lookups) when no approval is open yet.</summary>
    public async ValueTask<EnvironmentGateOutcome> EvaluateAsync(EnvironmentGateRequest request, CancellationToken cancellationToken = default)
    {
        var environment = request.Environment;
        var key = request.Key;
        if (request.Approval is { } approval && approval.Key != key)
        {
            throw new ArgumentException($"the approval {approval.Key} does not belong to {key}", nameof(request));
        }

        var now = timeProvider.GetUtcNow();
        ApprovalPolicy? resolved = null;
        if (environment.Mode == EnvironmentMode.Delivery && request.Approval is null && environment.Approval is { } definition)
        {
            resolved = await ApprovalPolicy.ResolveAsync(
                definition, request.Initiator, request.CommitAuthor, request.Contributors, request.UnknownAuthor, teams, cancellationToken).ConfigureAwait(false);
        }

        var context = new EnvironmentGateContext(request, now, resolved);
        var results = GatesOf(environment).Select(gate => gate.Evaluate(context)).ToList();
        var combined = GateResult.Combine(GateNames.Environment, results);
        var openApproval = resolved is not null
            && combined.Status == GateStatus.Pending
            && results.Any(r => r.Gate == GateNames.Approval && r.Status == GateStatus.Pending);
        return new EnvironmentGateOutcome
        {
            Key = key,
            Result = combined,
            Gates = results,
            EvaluatedAt = now,
            ApprovalToOpen = openApproval ? resolved : null,
        };
    }

    /// <summary>The gates that apply to <paramref name="environment"/>, in evaluation order.</summary>
    internal static IReadOnlyList<IEnvironmentGate> GatesOf(EnvironmentDefinition environment)
    {
        var gates = new List<IEnvironmentGate>(4);
        if (environment.Branches is { } branches)
        {
            gates.Add(new BranchGate(branches));
        }

        if (environment.NarrowedBranches is { } narrowed)
        {
            gates.Add(new BranchGate(narrowed));
        }

        if (environment.Freeze.Count > 0)
        {
            gates.Add(new FreezeGate(environment.Freeze));
        }

        gates.Add(environment.Mode == EnvironmentMode.Deployment ? ModeGate.Instance : ApprovalGate.Instance);
        if (environment.WaitTimer is { } timer)
        {
            gates.Add(new WaitTimerGate(timer));
        }

        return gates;
    }
}
