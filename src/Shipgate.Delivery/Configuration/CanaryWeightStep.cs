using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary><c>- weight: 10</c>: send this percentage of traffic (0.1 precision, 0 to 100) to the new release.</summary>
public sealed record CanaryWeightStep(double Weight, SourceLocation Location) : CanaryStep(Location)
{
    public override string Kind => "weight";
}
