using Shipgate.Delivery.Configuration;
using Shipgate.Delivery.Edge;

namespace Shipgate.Delivery.Analysis;

/// <summary>
/// PLACEHOLDER (lead's seam, replaced by the analysis part of issue 9): judges a canary from the edge's counters with a
/// crude rule, so that the rollout part can be built and tested end to end before the statistics land. Fails when the
/// canary has at least 20 requests in the window and its error rate is above twice stable's plus one percent; passes
/// an analysis step at the end of its duration otherwise.
/// </summary>
public sealed class CanaryAnalyst(IEdgeClient edge, TimeProvider time) : ICanaryAnalyst
{
    public ICanaryJudgement Begin(CanarySubject subject, CanaryStrategy strategy) => new Judgement(edge, time, subject);

    private sealed class Judgement(IEdgeClient edge, TimeProvider time, CanarySubject subject) : ICanaryJudgement
    {
        private EdgeMetricsSnapshot? _start;
        private CanaryAnalysisStep? _step;
        private DateTimeOffset _stepStarted;

        public async Task<AnalysisDecision> LookAsync(CanaryAnalysisStep? step, CancellationToken cancellationToken = default)
        {
            var now = time.GetUtcNow();
            var snapshot = await edge.GetMetricsAsync(cancellationToken).ConfigureAwait(false);
            _start ??= snapshot;
            if (step is not null && !ReferenceEquals(step, _step))
            {
                (_step, _stepStarted) = (step, now);
            }

            var (stableRequests, stableErrors) = Window(snapshot, subject.StableVersion);
            var (canaryRequests, canaryErrors) = Window(snapshot, subject.CanaryVersion);
            var stableRate = stableRequests == 0 ? 0 : (double)stableErrors / stableRequests;
            var canaryRate = canaryRequests == 0 ? 0 : (double)canaryErrors / canaryRequests;
            var values = new Dictionary<string, double>
            {
                ["stable-requests"] = stableRequests, ["stable-errors"] = stableErrors,
                ["canary-requests"] = canaryRequests, ["canary-errors"] = canaryErrors,
            };
            var measurement = new AnalysisMeasurement("error-rate", AnalysisOutcome.Continue, $"canary {canaryRate:P2}, stable {stableRate:P2}", values);
            if (canaryRequests >= 20 && canaryRate > (2 * stableRate) + 0.01)
            {
                return new(AnalysisOutcome.Failed, $"the canary's error rate {canaryRate:P2} is above stable's {stableRate:P2}", [measurement with { Outcome = AnalysisOutcome.Failed }], now);
            }

            if (step is not null && now - _stepStarted >= step.Duration)
            {
                return new(AnalysisOutcome.Passed, "the analysis window ended", [measurement with { Outcome = AnalysisOutcome.Passed }], now);
            }

            return new(AnalysisOutcome.Continue, "no decision yet", [measurement], now);
        }

        private (long Requests, long Errors) Window(EdgeMetricsSnapshot snapshot, string version)
        {
            static (long, long) Counts(EdgeMetricsSnapshot s, CanarySubject subject, string version) =>
                s.Releases.FirstOrDefault(r => !r.Mirrored && r.Environment == subject.Environment && r.Service == subject.Service && r.Version == version) is { } r
                    ? (r.Requests, r.Status5xx + r.TransportErrors + r.Timeouts)
                    : (0, 0);

            var (requests, errors) = Counts(snapshot, subject, version);
            var (startRequests, startErrors) = Counts(_start!, subject, version);
            return (requests - startRequests, errors - startErrors);
        }
    }
}
