using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary>
/// One step of a canary: <see cref="CanaryWeightStep"/>, <see cref="CanaryPauseStep"/>,
/// <see cref="CanaryAnalysisStep"/>, <see cref="CanaryApprovalStep"/>, <see cref="CanaryMirrorStep"/> or
/// <see cref="CanaryHeaderRouteStep"/>. Pause, analysis and approval
/// steps are gates of the rollout; they answer with a <see cref="Gates.GateResult"/> like every gate.
/// </summary>
public abstract record CanaryStep(SourceLocation Location)
{
    /// <summary>The step's key as written: weight, pause, analysis, approval, mirror or header-route.</summary>
    public abstract string Kind { get; }
}
