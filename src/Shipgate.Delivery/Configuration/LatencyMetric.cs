using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary>
/// <c>- latency: { quantiles: [50, 99], max-increase: 10% }</c>: fails when a quantile of the canary's latency is
/// surely above stable's times (1 + <see cref="MaxIncrease"/>), by time-uniform confidence bounds (ADR 0020).
/// </summary>
public sealed record LatencyMetric(SourceLocation? Location) : AnalysisMetric(Location)
{
    /// <summary>The quantiles compared, as fractions (0.5, 0.99). Default p50 and p99.</summary>
    public IReadOnlyList<double> Quantiles { get; init; } = [0.5, 0.99];

    /// <summary>How much slower than stable the canary may be, as a fraction. Default 0.1 (10%).</summary>
    public double MaxIncrease { get; init; } = 0.1;

    public override string Name => "latency";
}
