using Shipgate.Delivery.Approvals;

namespace Shipgate.Delivery.Gates;

/// <summary>The answer of an environment's gates: the combined result, and each gate's, for the audit log and the UI.</summary>
public sealed class EnvironmentGateOutcome
{
    public required ApprovalKey Key { get; init; }

    /// <summary>The combined answer (<see cref="GateNames.Environment"/>); see <see cref="GateResult.Combine"/>.</summary>
    public required GateResult Result { get; init; }

    /// <summary>Every gate's answer, in the order they were evaluated.</summary>
    public required IReadOnlyList<GateResult> Gates { get; init; }

    /// <summary>The time the gates were evaluated at (from the gatekeeper's <see cref="TimeProvider"/>).</summary>
    public required DateTimeOffset EvaluatedAt { get; init; }

    /// <summary>
    /// Set when the caller should open an approval now: the environment is in delivery mode, none is open for
    /// <see cref="Key"/>, no gate failed, and the policy can be satisfied. Open it with
    /// <see cref="ApprovalState.Open"/> at <see cref="EvaluatedAt"/>, store it, and pass it in from then on.
    /// </summary>
    public ApprovalPolicy? ApprovalToOpen { get; init; }

    public GateStatus Status => Result.Status;
}
