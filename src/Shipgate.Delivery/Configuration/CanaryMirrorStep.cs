using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary>
/// <c>- mirror: { percent: 20, duration: 1m }</c>: a shadow phase before live traffic: a copy of this share of the
/// requests goes to the new release for the duration, its answers measured and thrown away; users get stable's.
/// With <see cref="Compare"/> (any of <c>compare</c>, <c>max-mismatch</c>, <c>min-requests</c> written, and always for
/// <c>strategy: shadow</c>) each answer is also compared with stable's, and too many differences fail the step.
/// </summary>
public sealed record CanaryMirrorStep(double Percent, TimeSpan Duration, SourceLocation Location) : CanaryStep(Location)
{
    public override string Kind => "mirror";

    /// <summary>How answers are compared; null: the copies are only counted.</summary>
    public ShadowComparison? Compare { get; init; }
}
