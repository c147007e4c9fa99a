using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary>
/// One step of a canary: <see cref="CanaryWeightStep"/>, <see cref="CanaryPauseStep"/>,
/// <see cref="CanaryAnalysisStep"/> or <see cref="CanaryApprovalStep"/>. Pause, analysis and approval
/// steps are gates of the rollout; they answer with a <see cref="Gates.GateResult"/> like every gate.
/// </summary>
public abstract record CanaryStep(SourceLocation Location)
{
    /// <summary>The step's key as written: weight, pause, analysis or approval.</summary>
    public abstract string Kind { get; }
}
