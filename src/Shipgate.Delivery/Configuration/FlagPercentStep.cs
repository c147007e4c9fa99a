using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary><c>- percent: 5</c> of a flag ramp: the flag's rollout percentage (0.1 precision, 0 to 100), the flag turned on.</summary>
public sealed record FlagPercentStep(double Percent, SourceLocation Location) : CanaryStep(Location)
{
    public override string Kind => "percent";
}
