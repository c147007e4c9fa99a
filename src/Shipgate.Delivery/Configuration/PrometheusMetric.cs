using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary>
/// <c>- prometheus: { query, success, failure, address }</c>: an instant query (<c>GET /api/v1/query</c>) whose one
/// number must meet <see cref="Success"/> and must not meet <see cref="Failure"/>. The query may name
/// <c>{{canary}}</c>, <c>{{stable}}</c>, <c>{{service}}</c> and <c>{{environment}}</c>. Only a Prometheus the server
/// allows is asked (<see cref="Analysis.CanaryAnalysisOptions.PrometheusAddresses"/>).
/// </summary>
public sealed record PrometheusMetric(string Query, SourceLocation? Location) : AnalysisMetric(Location)
{
    /// <summary>The name shown in the record; default <c>prometheus</c>.</summary>
    public string? Label { get; init; }

    /// <summary>The Prometheus's base address; null: the first the server allows.</summary>
    public Uri? Address { get; init; }

    public MetricCondition? Success { get; init; }

    public MetricCondition? Failure { get; init; }

    public override string Name => Label ?? "prometheus";
}
