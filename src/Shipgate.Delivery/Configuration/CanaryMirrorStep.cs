using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary>
/// <c>- mirror: { percent: 20, duration: 1m }</c>: a shadow phase before live traffic: a copy of this share of the
/// requests goes to the new release for the duration, its answers measured and thrown away; users get stable's.
/// </summary>
public sealed record CanaryMirrorStep(double Percent, TimeSpan Duration, SourceLocation Location) : CanaryStep(Location)
{
    public override string Kind => "mirror";
}
