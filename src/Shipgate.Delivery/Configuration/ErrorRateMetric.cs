using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary><c>- error-rate</c>: the anytime-valid sequential test of the canary's error rate against stable's (ADR 0020).</summary>
public sealed record ErrorRateMetric(SourceLocation? Location) : AnalysisMetric(Location)
{
    public override string Name => "error-rate";
}
