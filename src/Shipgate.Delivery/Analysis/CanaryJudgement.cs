using System.Globalization;
using Shipgate.Delivery.Configuration;
using Shipgate.Delivery.Edge;

namespace Shipgate.Delivery.Analysis;

/// <summary>
/// One rollout's judgement. The first look takes the baseline; each look adds the interval since the previous one to
/// the error-rate test and to the cumulative histograms, keeps the canary's recent counts for the guardrails, and
/// during an analysis step reads its providers. Failed comes at any look; Passed and Inconclusive at a step's end.
/// </summary>
internal sealed class CanaryJudgement(IEdgeClient edge, TimeProvider time, MetricProviders providers, CanarySubject subject, CanaryStrategy strategy)
    : ICanaryJudgement
{
    private static readonly CanaryAnalysisStep DefaultTests = new(TimeSpan.Zero, new Core.Diagnostics.SourceLocation("shipgate.yml", 0, 0));

    private readonly ErrorRateTest _errorRate = new();
    private readonly Queue<(DateTimeOffset At, ReleaseCounts Canary)> _recent = new();
    private ReleaseCounts? _lastCanary;
    private ReleaseCounts? _lastStable;
    private ReleaseCounts _canary = ReleaseCounts.Zero;
    private ReleaseCounts _stable = ReleaseCounts.Zero;
    private CanaryAnalysisStep? _step;
    private CanaryAnalysisStep? _lastStep;
    private DateTimeOffset _stepStarted;
    private ReleaseCounts _stepBase = ReleaseCounts.Zero;

    private CanaryGuardrails Guardrails => strategy.Guardrails;

    public async Task<AnalysisDecision> LookAsync(CanaryAnalysisStep? step, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        EdgeMetricsSnapshot snapshot;
        try
        {
            snapshot = await edge.GetMetricsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is EdgeUnavailableException or EdgeApiException)
        {
            EnterStep(step, now);
            var ended = step is not null && now - _stepStarted >= step.Duration;
            var outcome = ended ? AnalysisOutcome.Inconclusive : AnalysisOutcome.Continue;
            return new(outcome, $"the edge's metrics could not be read: {ex.Message}", [], now);
        }

        Accumulate(snapshot, now);
        EnterStep(step, now);
        var measurements = new List<AnalysisMeasurement>();
        var tests = step ?? _lastStep ?? strategy.Steps.OfType<CanaryAnalysisStep>().FirstOrDefault() ?? DefaultTests;
        MeasureEdgeTests(tests, measurements);
        MeasureGuardrails(measurements);
        await MeasureCrashLoopsAsync(measurements, cancellationToken).ConfigureAwait(false);
        if (step is not null)
        {
            foreach (var metric in step.EffectiveMetrics.Where(m => m is not (ErrorRateMetric or LatencyMetric)))
            {
                var reading = await providers.MeasureAsync(metric, subject, cancellationToken).ConfigureAwait(false);
                measurements.Add(reading);
            }
        }

        if (measurements.FirstOrDefault(m => m.Outcome == AnalysisOutcome.Failed) is { } failed)
        {
            return new(AnalysisOutcome.Failed, $"{failed.Metric}: {failed.Summary}", measurements, now);
        }

        if (step is null || now - _stepStarted < step.Duration)
        {
            var where = step is null
                ? "between analysis steps"
                : $"{DurationText.Format(now - _stepStarted)} of the analysis step's {DurationText.Format(step.Duration)}";
            return new(AnalysisOutcome.Continue, $"{where}: nothing failed so far", measurements, now);
        }

        return End(step, now, measurements);
    }

    private AnalysisDecision End(CanaryAnalysisStep step, DateTimeOffset now, List<AnalysisMeasurement> measurements)
    {
        var answered = _canary.Answered - _stepBase.Answered;
        var sample = new AnalysisMeasurement(
            "min-requests",
            answered >= step.MinRequests ? AnalysisOutcome.Passed : AnalysisOutcome.Inconclusive,
            $"{subject.Side} answered {answered} requests during the step; min-requests is {step.MinRequests}",
            new Dictionary<string, double> { ["requests"] = answered, ["min-requests"] = step.MinRequests });
        measurements.Insert(0, sample);
        var policy = $"on-inconclusive: {step.OnInconclusive.ToString().ToLowerInvariant()}";
        if (answered < step.MinRequests)
        {
            var what = answered == 0 ? $"no request reached {subject.Side}" : $"{subject.Side} answered {answered} requests";
            var reason = $"{what} during the step, fewer than min-requests {step.MinRequests}: too little data to pass ({policy})";
            return new(AnalysisOutcome.Inconclusive, reason, measurements, now);
        }

        if (measurements.FirstOrDefault(m => m.Outcome == AnalysisOutcome.Inconclusive) is { } open)
        {
            return new(AnalysisOutcome.Inconclusive, $"{open.Metric}: {open.Summary} ({policy})", measurements, now);
        }

        var passed = measurements.Select(m => m.Outcome == AnalysisOutcome.Continue ? m with { Outcome = AnalysisOutcome.Passed } : m).ToList();
        return new(
            AnalysisOutcome.Passed,
            $"no metric failed over {answered} {subject.CanaryLabel} requests in {DurationText.Format(step.Duration)} " +
            $"(error-rate p = {Number(_errorRate.PValue)}): " +
            $"the step passes on its duration and minimum sample, which is no proof that {subject.Side} is as good as {subject.StableSide}",
            passed,
            now);
    }

    private void Accumulate(EdgeMetricsSnapshot snapshot, DateTimeOffset now)
    {
        var (canary, stable) = subject.Flag is null
            ? (ReleaseCounts.Of(snapshot, subject, subject.CanaryVersion), ReleaseCounts.Of(snapshot, subject, subject.StableVersion))
            : (ReleaseCounts.OfFlag(snapshot, subject, on: true), ReleaseCounts.OfFlag(snapshot, subject, on: false));

        // An interval whose counters went down (the edge restarted) is skipped: the next one starts from the new counters.
        if (_lastCanary is not null && canary.Since(_lastCanary) is { } c && stable.Since(_lastStable!) is { } s)
        {
            // The counters are read one by one while requests finish, so an interval may show an error before its request.
            _errorRate.Add(c.Answered, Math.Min(c.Errors, c.Answered), s.Answered, Math.Min(s.Errors, s.Answered));
            (_canary, _stable) = (_canary.Plus(c), _stable.Plus(s));
        }

        (_lastCanary, _lastStable) = (canary, stable);
        _recent.Enqueue((now, _canary));
        while (_recent.Count > 1 && _recent.ElementAt(1).At <= now - Guardrails.Window)
        {
            _recent.Dequeue();
        }
    }

    private void EnterStep(CanaryAnalysisStep? step, DateTimeOffset now)
    {
        if (ReferenceEquals(step, _step))
        {
            return;
        }

        _step = step;
        if (step is not null)
        {
            (_lastStep, _stepStarted, _stepBase) = (step, now, _canary);
        }
    }

    /// <summary>The edge's own tests of <paramref name="tests"/>, each with its share of the step's α.</summary>
    private void MeasureEdgeTests(CanaryAnalysisStep tests, List<AnalysisMeasurement> measurements)
    {
        var metrics = tests.EffectiveMetrics;
        var count = metrics.Count(m => m is ErrorRateMetric or LatencyMetric);
        if (count == 0)
        {
            return;
        }

        var share = tests.Alpha / count;
        if (metrics.Any(m => m is ErrorRateMetric))
        {
            measurements.Add(ErrorRate(share));
        }

        if (metrics.OfType<LatencyMetric>().FirstOrDefault() is { } latency)
        {
            measurements.AddRange(latency.Quantiles.Select(q => Latency(latency, q, share / latency.Quantiles.Count)));
        }
    }

    private AnalysisMeasurement ErrorRate(double alpha)
    {
        var threshold = 1 / alpha;
        var failed = _errorRate.Rejects(alpha);
        var values = new Dictionary<string, double>
        {
            ["canary-requests"] = _canary.Answered,
            ["canary-errors"] = _canary.Errors,
            ["canary-error-rate"] = _canary.ErrorRate,
            ["stable-requests"] = _stable.Answered,
            ["stable-errors"] = _stable.Errors,
            ["stable-error-rate"] = _stable.ErrorRate,
            ["statistic"] = Math.Exp(Math.Min(_errorRate.LogMixture, 700)),
            ["max-statistic"] = Math.Exp(Math.Min(_errorRate.LogMaxMixture, 700)),
            ["threshold"] = threshold,
            ["p-value"] = _errorRate.PValue,
            ["alpha"] = alpha,
            ["odds-ratio"] = _errorRate.LeadingRatio,
        };
        var summary = $"{subject.CanaryLabel} {Percent(_canary.ErrorRate)} ({_canary.Errors}/{_canary.Answered}), {subject.StableLabel} {Percent(_stable.ErrorRate)} " +
            $"({_stable.Errors}/{_stable.Answered}); mixture {Number(values["max-statistic"])} against {Number(threshold)} " +
            $"(p = {Number(_errorRate.PValue)})";
        return new("error-rate", failed ? AnalysisOutcome.Failed : AnalysisOutcome.Continue, summary, values);
    }

    /// <summary>Fails when the canary's lower bound is above stable's upper bound times 1 + max-increase; each bound at α/2.</summary>
    private AnalysisMeasurement Latency(LatencyMetric metric, double quantile, double alpha)
    {
        var name = QuantileName(quantile);
        var canaryLower = QuantileBounds.Lower(_canary.Latency, quantile, alpha / 2);
        var stableUpper = QuantileBounds.Upper(_stable.Latency, quantile, alpha / 2);
        var limit = stableUpper == long.MaxValue ? double.PositiveInfinity : stableUpper * (1 + metric.MaxIncrease);
        var values = new Dictionary<string, double>
        {
            [$"canary-{name}-ms"] = QuantileBounds.Observed(_canary.Latency, quantile).Ceiling / 1000.0,
            [$"stable-{name}-ms"] = QuantileBounds.Observed(_stable.Latency, quantile).Ceiling / 1000.0,
            [$"canary-{name}-lower-ms"] = canaryLower / 1000.0,
            ["max-increase"] = metric.MaxIncrease,
            ["alpha"] = alpha,
        };

        // JSON has no infinity: an unbounded bound is left out.
        if (double.IsFinite(limit))
        {
            values[$"stable-{name}-upper-ms"] = stableUpper / 1000.0;
            values["threshold-ms"] = limit / 1000.0;
        }

        var failed = canaryLower > limit;
        var bound = double.IsFinite(limit) ? Milliseconds(limit) : "unbounded yet";
        var summary = $"{subject.CanaryLabel} {name} at least {Milliseconds(canaryLower)}, limit {bound} " +
            $"({subject.StableSide}'s {name} at most that over 1 + {Percent(metric.MaxIncrease)})";
        return new($"latency-{name}", failed ? AnalysisOutcome.Failed : AnalysisOutcome.Continue, summary, values);
    }

    private void MeasureGuardrails(List<AnalysisMeasurement> measurements)
    {
        var window = _canary.Since(_recent.Peek().Canary)!;
        var seconds = DurationText.Format(Guardrails.Window);
        var enough = window.Answered >= Guardrails.MinRequests;
        var rateFailed = enough && window.ErrorRate > Guardrails.MaxErrorRate;
        measurements.Add(new(
            "guardrail:max-error-rate",
            rateFailed ? AnalysisOutcome.Failed : AnalysisOutcome.Continue,
            enough
                ? $"{subject.Side}'s error rate over the last {seconds} is {Percent(window.ErrorRate)} ({window.Errors}/{window.Answered}); " +
                  $"the maximum is {Percent(Guardrails.MaxErrorRate)}"
                : $"{subject.Side} answered {window.Answered} requests over the last {seconds}, " +
                  $"fewer than the {Guardrails.MinRequests} the guardrail needs",
            new Dictionary<string, double>
            {
                ["requests"] = window.Answered,
                ["errors"] = window.Errors,
                ["error-rate"] = window.ErrorRate,
                ["threshold"] = Guardrails.MaxErrorRate,
                ["min-requests"] = Guardrails.MinRequests,
            }));

        if (Guardrails.MaxP99 is { } max && window.Answered > 0)
        {
            // Without statistics, but never on the histogram's coarseness: the p99's bucket must start above the maximum.
            var (floor, observed) = QuantileBounds.Observed(window.Latency, 0.99);
            var p99Failed = enough && floor > max.TotalMicroseconds;
            measurements.Add(new(
                "guardrail:max-p99",
                p99Failed ? AnalysisOutcome.Failed : AnalysisOutcome.Continue,
                $"{subject.Side}'s p99 over the last {seconds} is {(p99Failed ? $"above {Milliseconds(floor)}" : $"at most {Milliseconds(observed)}")}; " +
                $"the maximum is {Milliseconds(max.TotalMicroseconds)}",
                new Dictionary<string, double>
                {
                    ["p99-ms"] = observed / 1000.0,
                    ["threshold-ms"] = max.TotalMilliseconds,
                    ["requests"] = window.Answered,
                }));
        }

    }

    private async Task MeasureCrashLoopsAsync(List<AnalysisMeasurement> measurements, CancellationToken cancellationToken)
    {
        if (!Guardrails.CrashLooping)
        {
            return;
        }

        EdgeServiceStatus? status;
        try
        {
            status = await edge.GetServiceAsync(subject.Environment, subject.Service, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is EdgeUnavailableException or EdgeApiException)
        {
            return;
        }

        if (status?.Releases.FirstOrDefault(r => r.Version == subject.CanaryVersion) is { } release)
        {
            var crashes = release.InstanceStatuses.Sum(i => i.Crashes);
            var why = release.InstanceStatuses.Select(i => i.LastError).FirstOrDefault(e => e is not null);
            measurements.Add(new(
                "guardrail:crash-looping",
                release.CrashLooping ? AnalysisOutcome.Failed : AnalysisOutcome.Continue,
                release.CrashLooping
                    ? $"an instance of {subject.CanaryVersion} crash-loops ({crashes} crashes): {why}"
                    : $"no instance of {subject.CanaryVersion} crash-loops",
                new Dictionary<string, double> { ["crashes"] = crashes }));
        }
    }

    internal static string QuantileName(double quantile) => "p" + (quantile * 100).ToString("0.###", CultureInfo.InvariantCulture);

    private static string Percent(double value) => value.ToString("0.##%", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("G3", CultureInfo.InvariantCulture);

    private static string Milliseconds(double micros) => (micros / 1000).ToString("0.###", CultureInfo.InvariantCulture) + " ms";
}
