namespace Shipgate.Delivery.Analysis;

/// <summary>
/// One metric at one look: <c>error-rate</c>, <c>latency-p99</c>, <c>guardrail:max-error-rate</c>, a provider's name…
/// <see cref="Values"/> holds its numbers by name (counts, rates, quantiles, the statistic, the p-value, the threshold),
/// so that the record and the API show them without a type per metric.
/// </summary>
public sealed record AnalysisMeasurement(
    string Metric,
    AnalysisOutcome Outcome,
    string Summary,
    IReadOnlyDictionary<string, double> Values);
