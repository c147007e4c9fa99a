using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary><c>- analysis: { duration: 2m }</c>: compare the new release with the stable one over this window.</summary>
public sealed record CanaryAnalysisStep(TimeSpan Duration, SourceLocation Location) : CanaryStep(Location)
{
    public override string Kind => "analysis";
}
