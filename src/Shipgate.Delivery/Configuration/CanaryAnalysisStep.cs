using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary>
/// <c>- analysis: { duration: 2m, interval: 1s, metrics: [...], min-requests: 100, on-inconclusive: pause }</c>:
/// compare the new release with the stable one over this window (docs/progressive-delivery.md, "Analysis").
/// </summary>
public sealed record CanaryAnalysisStep(TimeSpan Duration, SourceLocation Location) : CanaryStep(Location)
{
    /// <summary>The interval when none is written: the tests are anytime-valid, so looking often costs no false aborts.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    /// <summary>The metrics when none are written: the error-rate test and the latency comparison, with their defaults.</summary>
    public static readonly IReadOnlyList<AnalysisMetric> DefaultMetrics = [new ErrorRateMetric(null), new LatencyMetric(null)];

    /// <summary>How often the rollout looks during the step. Default 1 s.</summary>
    public TimeSpan Interval { get; init; } = DefaultInterval;

    /// <summary>What the step judges; empty means <see cref="DefaultMetrics"/>.</summary>
    public IReadOnlyList<AnalysisMetric> Metrics { get; init; } = [];

    /// <summary>The fewest requests the canary must answer during the step for it to pass. Default 100.</summary>
    public int MinRequests { get; init; } = 100;

    /// <summary>The family-wise false-abort rate of the step's tests, split between them. Default 0.05.</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>What an inconclusive end does. Default <see cref="InconclusivePolicy.Pause"/>.</summary>
    public InconclusivePolicy OnInconclusive { get; init; } = InconclusivePolicy.Pause;

    /// <summary><see cref="Metrics"/>, or <see cref="DefaultMetrics"/> when none are written.</summary>
    public IReadOnlyList<AnalysisMetric> EffectiveMetrics => Metrics.Count > 0 ? Metrics : DefaultMetrics;

    public override string Kind => "analysis";
}
