using Shipgate.Delivery.Configuration;
using Shipgate.Delivery.Edge;

namespace Shipgate.Delivery.Analysis;

/// <summary>
/// Judges canaries from the edge's per-release counters and histograms (docs/progressive-delivery.md, "Analysis";
/// ADR 0020): an anytime-valid error-rate test and latency bounds that run through the whole rollout, guardrails at
/// every look, and an analysis step's other providers during the step.
/// </summary>
/// <param name="edge">Where the metrics and the instances' state come from.</param>
/// <param name="time">The clock of the analysis steps' windows.</param>
/// <param name="options">What the analysis may reach beyond the edge; null: nothing (no Prometheus, no commands).</param>
public sealed class CanaryAnalyst(IEdgeClient edge, TimeProvider time, CanaryAnalysisOptions? options = null) : ICanaryAnalyst
{
    private readonly CanaryAnalysisOptions _options = options ?? new();

    public ICanaryJudgement Begin(CanarySubject subject, CanaryStrategy strategy, IAnalysisCommandRunner? commands = null) =>
        new CanaryJudgement(edge, time, new MetricProviders(edge, time, _options, commands ?? _options.CommandRunner), subject, strategy);
}
