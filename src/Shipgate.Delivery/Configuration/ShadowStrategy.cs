using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary>
/// <c>strategy: shadow: { percent, duration, max-mismatch, compare }</c>: the new release starts beside stable, a
/// share of real requests is copied to it for the duration and each of its answers compared with stable's (users
/// only ever get stable's); when the mismatch rate stays at most <c>max-mismatch</c> it takes all traffic at once,
/// otherwise it is held back (stopped, stable untouched). Carried out as a canary whose only step is
/// <see cref="Phase"/>.
/// </summary>
public sealed record ShadowStrategy(CanaryMirrorStep Phase, SourceLocation? Location) : RolloutStrategy(Location)
{
    public override string Name => "shadow";

    /// <summary>What a mismatch rate over the limit, a failed smoke or health check does. Default rollback (hold the release back).</summary>
    public CanaryFailureAction OnFailure { get; init; } = CanaryFailureAction.Rollback;

    public override CanaryStrategy AsCanary => new([Phase], Location) { OnFailure = OnFailure };
}
