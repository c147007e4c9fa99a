using Microsoft.Extensions.Time.Testing;
using Shipgate.Delivery.Analysis;
using Shipgate.Delivery.Configuration;
using static Shipgate.Delivery.Tests.Analysis.CanarySimulation;

namespace Shipgate.Delivery.Tests.Analysis;

public sealed class CanaryAnalystTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly SimulatedEdge _edge = new(Subject, seed: 1);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task Look_First_TakesTheBaselineAndContinues()
    {
        _edge.Add(canary: false, 10_000, 9_000);
        var judgement = Begin(Strategy(TimeSpan.FromMinutes(2)));

        var decision = await LookAsync(judgement, Analysis(TimeSpan.FromMinutes(2)));

        Assert.Equal(AnalysisOutcome.Continue, decision.Outcome);
        Assert.Equal(0, Values(decision, "error-rate")["stable-requests"]);
    }

    [Fact]
    public async Task Look_CanaryFailingTenTimesMore_FailsByTheErrorRateTestWithItsNumbers()
    {
        var strategy = Strategy(TimeSpan.FromMinutes(10));
        _edge.CanaryErrorRate = 0.05;
        var (seconds, decision) = await RunAsync(_edge, 120, strategy, cancellationToken: TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken);

        Assert.NotNull(seconds);
        Assert.Equal(AnalysisOutcome.Failed, decision.Outcome);
        Assert.StartsWith("error-rate: canary ", decision.Reason);
        var values = Values(decision, "error-rate");
        Assert.True(values["max-statistic"] >= values["threshold"]);
        Assert.Equal(40, values["threshold"]);
        Assert.Equal(1 / values["max-statistic"], values["p-value"], 9);
        Assert.True(values["canary-errors"] > 0 && values["stable-requests"] > 0);
    }

    [Fact]
    public async Task Look_IdenticalReleases_FalseAbortsStayUnderAlpha()
    {
        // 100 A/A rollouts of 300 looks, fixed seeds: the error-rate test and the latency bounds together at α = 0.05.
        var aborted = 0;
        for (var rollout = 0; rollout < 100; rollout++)
        {
            var edge = new SimulatedEdge(Subject, 500 + rollout) { StableErrorRate = 0.02, CanaryErrorRate = 0.02 };
            aborted += (await RunAsync(edge, 300, cancellationToken: TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken)).Seconds is null ? 0 : 1;
        }

        Assert.InRange(aborted / 100.0, 0, 0.05);
    }

    [Fact]
    public async Task Look_DetectionOfFivePercentAgainstHalfAPercentAtTenPercentWeight_AbortsWithinSecondsInTheMedian()
    {
        var times = new List<int>();
        for (var rollout = 0; rollout < 21; rollout++)
        {
            var edge = new SimulatedEdge(Subject, 900 + rollout) { CanaryWeight = 0.1, CanaryErrorRate = 0.05 };
            var (seconds, _) = await RunAsync(edge, 120, cancellationToken: TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken);
            times.Add(seconds ?? int.MaxValue);
        }

        Assert.InRange(times.Order().ElementAt(10), 1, 10);
    }

    [Fact]
    public async Task Look_SplitAndStableErrorRateChangeTogether_DoesNotAbortAnIdenticalCanary()
    {
        // The canary takes 50% while both releases fail 5% of requests, then 1% while both fail 0.1%: pooled counts make
        // the canary look 4 times worse (5% of its traffic failed against 1%), but within each interval they fail alike.
        var judgement = Begin(Strategy(TimeSpan.FromMinutes(10)));
        var step = Analysis(TimeSpan.FromMinutes(10));
        await LookAsync(judgement, step);
        AnalysisDecision decision = null!;
        for (var second = 0; second < 120; second++)
        {
            var (weight, rate) = second < 60 ? (0.5, 0.05) : (0.01, 0.001);
            var total = 1_000;
            var canary = (long)(total * weight);
            _edge.Add(canary: true, canary, (long)Math.Round(canary * rate));
            _edge.Add(canary: false, total - canary, (long)Math.Round((total - canary) * rate));
            _time.Advance(TimeSpan.FromSeconds(1));
            decision = await LookAsync(judgement, step);
            Assert.NotEqual(AnalysisOutcome.Failed, decision.Outcome);
        }

        var values = Values(decision, "error-rate");
        Assert.True(values["canary-error-rate"] > 2 * values["stable-error-rate"], "the pooled rates should differ");
        Assert.Equal(1, values["p-value"]);
    }

    [Fact]
    public async Task Look_CanaryWorseOnlyAfterTheSplitChanged_Fails()
    {
        var judgement = Begin(Strategy(TimeSpan.FromMinutes(10)));
        var step = Analysis(TimeSpan.FromMinutes(10));
        await LookAsync(judgement, step);
        for (var second = 0; second < 300; second++)
        {
            var bad = second >= 30;
            _edge.Add(canary: true, bad ? 100 : 10, bad ? 5 : 0);
            _edge.Add(canary: false, bad ? 100 : 190, 1);
            _time.Advance(TimeSpan.FromSeconds(1));
            if ((await LookAsync(judgement, step)).Outcome == AnalysisOutcome.Failed)
            {
                Assert.True(second >= 30);
                return;
            }
        }

        Assert.Fail("the canary was never failed");
    }

    [Fact]
    public async Task Look_StepEndsWithFewerRequestsThanMinRequests_IsInconclusiveAndSaysSo()
    {
        var step = Analysis(TimeSpan.FromSeconds(10)) with { MinRequests = 100 };
        var judgement = Begin(Strategy(TimeSpan.FromSeconds(10)));
        await LookAsync(judgement, step);
        _edge.Add(canary: true, 40, 0);
        _edge.Add(canary: false, 400, 0);
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(AnalysisOutcome.Continue, (await LookAsync(judgement, step)).Outcome);
        _time.Advance(TimeSpan.FromSeconds(1));

        var decision = await LookAsync(judgement, step);

        Assert.Equal(AnalysisOutcome.Inconclusive, decision.Outcome);
        Assert.Equal("the canary answered 40 requests during the step, fewer than min-requests 100: too little data to pass (on-inconclusive: pause)", decision.Reason);
        Assert.Equal(40, Values(decision, "min-requests")["requests"]);
    }

    [Fact]
    public async Task Look_StepEndsWithNoTrafficAtAll_IsInconclusiveNeverPassed()
    {
        var step = Analysis(TimeSpan.FromSeconds(5)) with { OnInconclusive = InconclusivePolicy.Fail };
        var judgement = Begin(Strategy(TimeSpan.FromSeconds(5)));
        await LookAsync(judgement, step);
        _time.Advance(TimeSpan.FromSeconds(5));

        var decision = await LookAsync(judgement, step);

        Assert.Equal(AnalysisOutcome.Inconclusive, decision.Outcome);
        Assert.StartsWith("no request reached the canary during the step", decision.Reason);
        Assert.EndsWith("(on-inconclusive: fail)", decision.Reason);
    }

    [Fact]
    public async Task Look_StepEndsWithEnoughHealthyTraffic_PassesOnlyAtTheEnd()
    {
        var step = Analysis(TimeSpan.FromSeconds(30));
        var judgement = Begin(Strategy(TimeSpan.FromSeconds(30)));
        await LookAsync(judgement, step);
        for (var second = 1; second <= 30; second++)
        {
            _edge.Advance();
            _time.Advance(TimeSpan.FromSeconds(1));
            var decision = await LookAsync(judgement, step);
            if (second < 30)
            {
                Assert.Equal(AnalysisOutcome.Continue, decision.Outcome);
                continue;
            }

            Assert.Equal(AnalysisOutcome.Passed, decision.Outcome);
            Assert.Contains("no proof that the canary is as good as stable", decision.Reason);
            Assert.All(decision.Measurements, m => Assert.Equal(AnalysisOutcome.Passed, m.Outcome));
        }
    }

    [Fact]
    public async Task Look_BetweenSteps_FailsByTheRunningTestButNeverPasses()
    {
        var judgement = Begin(Strategy(TimeSpan.FromSeconds(5)));
        await LookAsync(judgement, null);
        _edge.Add(canary: false, 1_000, 0);
        _edge.Add(canary: true, 1_000, 0);
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(AnalysisOutcome.Continue, (await LookAsync(judgement, null)).Outcome);

        _edge.Add(canary: false, 1_000, 2);
        _edge.Add(canary: true, 1_000, 19);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(AnalysisOutcome.Failed, (await LookAsync(judgement, null)).Outcome);
    }

    [Fact]
    public async Task Look_CanaryMuchSlower_FailsByTheLatencyBounds()
    {
        _edge.CanaryMedianMs = 200;
        var (seconds, decision) = await RunAsync(_edge, 120, cancellationToken: TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken);

        Assert.NotNull(seconds);
        Assert.StartsWith("latency-p50: ", decision.Reason);
        var values = Values(decision, "latency-p50");
        Assert.True(values["canary-p50-lower-ms"] > values["threshold-ms"]);
    }

    [Fact]
    public async Task Guardrail_ErrorRateAboveTheMaximum_FailsAtOnce()
    {
        var judgement = Begin(Strategy(TimeSpan.FromMinutes(5), CanaryGuardrails.Default with { MaxErrorRate = 0.1, MinRequests = 20 }));
        await LookAsync(judgement, null);
        _edge.Add(canary: true, 30, 4);
        _time.Advance(TimeSpan.FromSeconds(1));

        var decision = await LookAsync(judgement, null);

        Assert.Equal(AnalysisOutcome.Failed, decision.Outcome);
        Assert.Equal("guardrail:max-error-rate: the canary's error rate over the last 30s is 13.33% (4/30); the maximum is 10%", decision.Reason);
    }

    [Fact]
    public async Task Guardrail_OneErrorOfTwoRequests_DoesNotFail()
    {
        var judgement = Begin(Strategy(TimeSpan.FromMinutes(5)));
        await LookAsync(judgement, null);
        _edge.Add(canary: true, 2, 1);
        _edge.Add(canary: false, 18, 0);
        _time.Advance(TimeSpan.FromSeconds(1));

        var decision = await LookAsync(judgement, null);

        Assert.Equal(AnalysisOutcome.Continue, decision.Outcome);
        Assert.Contains("fewer than the 20 the guardrail needs", Measurement(decision, "guardrail:max-error-rate").Summary);
    }

    [Fact]
    public async Task Guardrail_ErrorsOlderThanTheWindow_NoLongerCount()
    {
        var judgement = Begin(Strategy(TimeSpan.FromMinutes(5), CanaryGuardrails.Default with { MaxErrorRate = 0.1, Window = TimeSpan.FromSeconds(10) }));
        await LookAsync(judgement, null);
        _edge.Add(canary: true, 15, 10);
        _time.Advance(TimeSpan.FromSeconds(1));
        await LookAsync(judgement, null);
        for (var second = 0; second < 11; second++)
        {
            _edge.Add(canary: true, 10, 0);
            _edge.Add(canary: false, 10_000, 0);
            _time.Advance(TimeSpan.FromSeconds(1));
            await LookAsync(judgement, null);
        }

        var values = Values(await LookAsync(judgement, null), "guardrail:max-error-rate");

        Assert.Equal(0, values["errors"]);
        Assert.Equal(100, values["requests"]);
    }

    [Fact]
    public async Task Guardrail_P99AboveTheMaximum_Fails()
    {
        _edge.CanaryMedianMs = 400;
        _edge.StableMedianMs = 400;
        var strategy = Strategy(TimeSpan.FromMinutes(5), CanaryGuardrails.Default with { MaxP99 = TimeSpan.FromMilliseconds(250) });

        var (seconds, decision) = await RunAsync(_edge, 30, strategy, cancellationToken: TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken);

        Assert.NotNull(seconds);
        Assert.StartsWith("guardrail:max-p99: the canary's p99 over the last 30s is above ", decision.Reason);
    }

    [Fact]
    public async Task Guardrail_CrashLoopingCanary_FailsAtOnceWithTheReason()
    {
        var judgement = Begin(Strategy(TimeSpan.FromMinutes(5)));
        await LookAsync(judgement, null);
        _edge.CanaryCrashLooping = true;

        var decision = await LookAsync(judgement, null);

        Assert.Equal(AnalysisOutcome.Failed, decision.Outcome);
        Assert.Equal("guardrail:crash-looping: an instance of v2 crash-loops (5 crashes): The instance exited with code 1 right after it started.", decision.Reason);
    }

    [Fact]
    public async Task Look_AbandonedRequests_AreNotErrors()
    {
        _edge.AbandonedRate = 0.5;
        _edge.StableErrorRate = _edge.CanaryErrorRate = 0;
        var (seconds, decision) = await RunAsync(_edge, 20, cancellationToken: TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken);

        Assert.Null(seconds);
        Assert.Equal(0, Values(decision, "error-rate")["canary-errors"]);
    }

    [Fact]
    public async Task Look_EdgeDown_ContinuesThenEndsTheStepInconclusive()
    {
        var step = Analysis(TimeSpan.FromSeconds(5));
        var judgement = Begin(Strategy(TimeSpan.FromSeconds(5)));
        await LookAsync(judgement, step);
        _edge.Down = true;
        _time.Advance(TimeSpan.FromSeconds(1));
        var during = await LookAsync(judgement, step);
        _time.Advance(TimeSpan.FromSeconds(4));

        var end = await LookAsync(judgement, step);

        Assert.Equal(AnalysisOutcome.Continue, during.Outcome);
        Assert.Equal(AnalysisOutcome.Inconclusive, end.Outcome);
        Assert.Equal("the edge's metrics could not be read: The edge's admin socket refused the connection.", end.Reason);
    }

    [Fact]
    public async Task Look_CountersGoDownAfterAnEdgeRestart_SkipsThatInterval()
    {
        var judgement = Begin(Strategy(TimeSpan.FromMinutes(5)));
        _edge.Add(canary: true, 1_000, 0);
        _edge.Add(canary: false, 1_000, 0);
        await LookAsync(judgement, null);
        _edge.Restart();
        _edge.Add(canary: true, 10, 0);
        _edge.Add(canary: false, 10, 0);
        await LookAsync(judgement, null);
        _edge.Add(canary: true, 5, 0);

        var values = Values(await LookAsync(judgement, null), "error-rate");

        Assert.Equal(5, values["canary-requests"]);
        Assert.Equal(0, values["stable-requests"]);
    }

    private static CanaryAnalysisStep Analysis(TimeSpan duration) => new(duration, At);

    private ICanaryJudgement Begin(CanaryStrategy strategy) => new CanaryAnalyst(_edge, _time).Begin(Subject, strategy);

    private static Task<AnalysisDecision> LookAsync(ICanaryJudgement judgement, CanaryAnalysisStep? step) =>
        judgement.LookAsync(step, TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken);

    private static AnalysisMeasurement Measurement(AnalysisDecision decision, string metric) => Assert.Single(decision.Measurements, m => m.Metric == metric);

    private static IReadOnlyDictionary<string, double> Values(AnalysisDecision decision, string metric) => Measurement(decision, metric).Values;
}
