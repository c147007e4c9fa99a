using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary>
/// One entry of an analysis step's <c>metrics</c>: <see cref="ErrorRateMetric"/> and <see cref="LatencyMetric"/> (the
/// edge's own measurements, compared with stable's), <see cref="PrometheusMetric"/>, <see cref="HttpCheckMetric"/> or
/// <see cref="CommandMetric"/>.
/// </summary>
public abstract record AnalysisMetric(SourceLocation? Location)
{
    /// <summary>What the decision record calls it: error-rate, latency, or the provider and its name.</summary>
    public abstract string Name { get; }
}
