using Shipgate.Delivery.Configuration;
using static Shipgate.Delivery.Tests.Configuration.TestConfigs;

namespace Shipgate.Delivery.Tests.Configuration;

public sealed class ShipgateConfigParserAnalysisTests
{
    private const string Prefix = "'environments.e.strategy.canary.steps[0].analysis";

    [Fact]
    public void Parse_AnalysisWithOnlyDuration_HasTheDocumentedDefaults()
    {
        var step = AnalysisOf("- analysis: { duration: 2m }");

        Assert.Equal(TimeSpan.FromMinutes(2), step.Duration);
        Assert.Equal(TimeSpan.FromSeconds(1), step.Interval);
        Assert.Empty(step.Metrics);
        Assert.Equal(["error-rate", "latency"], step.EffectiveMetrics.Select(m => m.Name));
        Assert.Equal(100, step.MinRequests);
        Assert.Equal(0.05, step.Alpha);
        Assert.Equal(InconclusivePolicy.Pause, step.OnInconclusive);
        var latency = Assert.IsType<LatencyMetric>(step.EffectiveMetrics[1]);
        Assert.Equal([0.5, 0.99], latency.Quantiles);
        Assert.Equal(0.1, latency.MaxIncrease);
    }

    [Fact]
    public void Parse_AnalysisWithEveryKeyAndMetric_IsRead()
    {
        var canary = CanaryOf("""
                strategy:
                  canary:
                    steps:
                      - analysis:
                          duration: 5m
                          interval: 10s
                          min-requests: 500
                          alpha: 0.01
                          on-inconclusive: fail
                          metrics:
                            - error-rate
                            - latency: { quantiles: [p50, 99.9], max-increase: 25% }
                            - prometheus:
                                name: orders
                                address: http://prometheus:9090
                                query: sum(rate(orders_failed{version="{{canary}}"}[1m]))
                                success: "< 0.01"
                                failure: ">= 0.05"
                            - http: { path: /health/deep, status: 204, max-latency: 300ms }
                            - command: { name: contract, run: ./contract-tests.sh, timeout: 2m }

            """);
        var step = Assert.IsType<CanaryAnalysisStep>(Assert.Single(canary.Steps));

        Assert.Equal((TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(10), 500, 0.01, InconclusivePolicy.Fail), (step.Duration, step.Interval, step.MinRequests, step.Alpha, step.OnInconclusive));
        Assert.Equal(["error-rate", "latency", "orders", "http:GET /health/deep", "contract"], step.Metrics.Select(m => m.Name));
        var latency = Assert.IsType<LatencyMetric>(step.Metrics[1]);
        Assert.Equal([0.5, 0.999], latency.Quantiles);
        Assert.Equal(0.25, latency.MaxIncrease);
        var prometheus = Assert.IsType<PrometheusMetric>(step.Metrics[2]);
        Assert.Equal(new Uri("http://prometheus:9090"), prometheus.Address);
        Assert.Equal("sum(rate(orders_failed{version=\"{{canary}}\"}[1m]))", prometheus.Query);
        Assert.Equal(new MetricCondition("<", 0.01), prometheus.Success);
        Assert.Equal(new MetricCondition(">=", 0.05), prometheus.Failure);
        var http = Assert.IsType<HttpCheckMetric>(step.Metrics[3]);
        Assert.Equal((204, TimeSpan.FromMilliseconds(300)), (http.Check.Status, http.Check.MaxLatency));
        var command = Assert.IsType<CommandMetric>(step.Metrics[4]);
        Assert.Equal(("./contract-tests.sh", TimeSpan.FromMinutes(2)), (command.Run, command.Timeout));
        Assert.Equal(At(14, 19), step.Metrics[1].Location);
    }

    [Fact]
    public void Parse_Guardrails_AreReadWithTheirDefaultsForWhatIsNotWritten()
    {
        var canary = CanaryOf("""
                strategy:
                  canary:
                    guardrails: { max-error-rate: 5%, max-p99: 800ms, window: 1m }
                    steps:
                      - weight: 10

            """);

        Assert.Equal(0.05, canary.Guardrails.MaxErrorRate);
        Assert.Equal(TimeSpan.FromMilliseconds(800), canary.Guardrails.MaxP99);
        Assert.Equal(TimeSpan.FromMinutes(1), canary.Guardrails.Window);
        Assert.Equal(20, canary.Guardrails.MinRequests);
        Assert.True(canary.Guardrails.CrashLooping);
    }

    [Fact]
    public void Parse_NoGuardrails_AreTheDefaults()
    {
        var canary = CanaryOf("    strategy: { canary: { steps: [ { weight: 10 } ] } }\n");

        Assert.Same(CanaryGuardrails.Default, canary.Guardrails);
        Assert.Equal((0.2, 20, null, true, TimeSpan.FromSeconds(30)), (canary.Guardrails.MaxErrorRate, canary.Guardrails.MinRequests, canary.Guardrails.MaxP99, canary.Guardrails.CrashLooping, canary.Guardrails.Window));
    }

    [Theory]
    [InlineData("- analysis: { duration: 2m, interval: 5m }", "5m }", $"{Prefix}.interval' (5m) is longer than its duration (2m)")]
    [InlineData("- analysis: { duration: 2m, metrics: [] }", "[]", $"{Prefix}.metrics' must be a sequence of metrics (error-rate, latency, prometheus, http, command), not an empty sequence: leave 'metrics' out for error-rate and latency")]
    [InlineData("- analysis: { duration: 2m, metrics: [errors] }", "errors", $"unknown metric 'errors' in {Prefix}.metrics[0]'; use error-rate, latency, prometheus, http or command")]
    [InlineData("- analysis: { duration: 2m, metrics: [error-rate, error-rate] }", "error-rate] }", $"{Prefix}.metrics' names error-rate twice; write it once")]
    [InlineData("- analysis: { duration: 2m, metrics: [prometheus] }", "prometheus]", $"{Prefix}.metrics[0].prometheus' needs its options, such as {{ query: ..., success: \"< 0.01\" }}")]
    [InlineData("- analysis: { duration: 2m, metrics: [{ prometheus: { query: up } }] }", "{ query", $"{Prefix}.metrics[0].prometheus' needs 'success' or 'failure' (or both), such as success: \"< 0.01\"")]
    [InlineData("- analysis: { duration: 2m, metrics: [{ prometheus: { success: '< 1' } }] }", "{ success", $"{Prefix}.metrics[0].prometheus' needs 'query': a PromQL expression that gives one number")]
    [InlineData("- analysis: { duration: 2m, metrics: [{ prometheus: { query: up, success: 'below 1' } }] }", "'below 1'", $"{Prefix}.metrics[0].prometheus.success' must be a comparison with a number, such as \"< 0.01\" or \">= 100\" (operators <= >= == != < >), not 'below 1'")]
    [InlineData("- analysis: { duration: 2m, metrics: [{ prometheus: { query: up, success: '< 1', address: 'http://admin:pw@127.0.0.1:5000' } }] }", "'http://admin", $"{Prefix}.metrics[0].prometheus.address' must be an http or https address such as http://prometheus:9090, without credentials or query, not 'http://admin:pw@127.0.0.1:5000'")]
    [InlineData("- analysis: { duration: 2m, metrics: [{ prometheus: { query: up, success: '< 1', address: 'file:///etc/passwd' } }] }", "'file:", $"{Prefix}.metrics[0].prometheus.address' must be an http or https address such as http://prometheus:9090, without credentials or query, not 'file:///etc/passwd'")]
    [InlineData("- analysis: { duration: 2m, metrics: [{ http: { path: '//127.0.0.1:5000/v1/stop' } }] }", "'//127", $"{Prefix}.metrics[0].http.path' must be a path starting with '/', such as /health, not '//127.0.0.1:5000/v1/stop'")]
    [InlineData("- analysis: { duration: 2m, metrics: [{ http: { path: /v1/stop, host: localhost } }] }", "{ path", $"{Prefix}.metrics[0].http.host' is not allowed: an analysis check always goes to the canary's own host, pinned to its version")]
    [InlineData("- analysis: { duration: 2m, metrics: [{ command: { timeout: 5s } }] }", "{ timeout", $"{Prefix}.metrics[0].command' needs 'run': the command whose exit code decides")]
    [InlineData("- analysis: { duration: 2m, metrics: [{ latency: { quantiles: [100] } }] }", "100]", $"{Prefix}.metrics[0].latency.quantiles' takes percentiles above 0 and below 100, such as 50, 99 or p99.9, not '100'")]
    [InlineData("- analysis: { duration: 2m, metrics: [{ latency: { max-increase: 0.1 } }] }", "0.1 }", $"{Prefix}.metrics[0].latency.max-increase' must be a percentage from 0% to 1000%, such as 10%, not '0.1'")]
    [InlineData("- analysis: { duration: 2m, metrics: [{ error-rate: { alpha: 0.1 } }] }", "{ alpha", $"{Prefix}.metrics[0].error-rate' takes no options")]
    [InlineData("- analysis: { duration: 2m, min-requests: -1 }", "-1", $"{Prefix}.min-requests' must be a whole number from 0 to 100000000, not '-1'")]
    [InlineData("- analysis: { duration: 2m, alpha: 0.9 }", "0.9", $"{Prefix}.alpha' must be a probability above 0 and at most 0.5, such as 0.05, not '0.9'")]
    [InlineData("- analysis: { duration: 2m, on-inconclusive: proceed }", "proceed", $"{Prefix}.on-inconclusive' must be pause, fail or promote, not 'proceed'")]
    public void Parse_BadAnalysis_IsOneErrorAtItsPosition(string step, string at, string message)
    {
        var error = SingleError(Environment($"    strategy:\n      canary:\n        steps:\n          {step}\n"));

        Assert.Equal(message, error.Message);
        Assert.Equal(At(6, 11 + step.IndexOf(at, StringComparison.Ordinal)), error.Location);
    }

    [Theory]
    [InlineData("{ max-error-rate: 120% }", "'environments.e.strategy.canary.guardrails.max-error-rate' must be a percentage from 0% to 100%, such as 10%, not '120%'")]
    [InlineData("{ min-requests: 0 }", "'environments.e.strategy.canary.guardrails.min-requests' must be a whole number from 1 to 1000000, not '0'")]
    [InlineData("{ max-p99: fast }", "'environments.e.strategy.canary.guardrails.max-p99' must be a duration from 1ms to 5m such as 500ms, 2s or 1m, not 'fast'")]
    [InlineData("{ crash-loops: false }", "unknown key 'crash-loops' in 'environments.e.strategy.canary.guardrails'; did you mean 'crash-looping'?")]
    public void Parse_BadGuardrails_IsAnError(string guardrails, string message)
    {
        var error = SingleError(Environment($"    strategy:\n      canary:\n        guardrails: {guardrails}\n        steps: [ {{ weight: 10 }} ]\n"));

        Assert.Equal(message, error.Message);
        Assert.Equal(5, error.Location!.Line);
    }

    [Fact]
    public void Parse_SeveralBadAnalysisKeys_AreAllReportedAtOnce()
    {
        var result = Load(Environment("""
                strategy:
                  canary:
                    guardrails: { max-error-rate: lots }
                    steps:
                      - analysis: { duration: 0s, on-inconclusive: maybe, metrics: [{ http: {} }, lateny] }

            """));

        Assert.Null(result.Config);
        Assert.Equal(
            [
                "shipgate.yml:5:39: error: 'environments.e.strategy.canary.guardrails.max-error-rate' must be a percentage from 0% to 100%, such as 10%, not 'lots'",
                "shipgate.yml:7:35: error: 'environments.e.strategy.canary.steps[0].analysis.duration' must be from 1s to 366d, not '0s'",
                "shipgate.yml:7:56: error: 'environments.e.strategy.canary.steps[0].analysis.on-inconclusive' must be pause, fail or promote, not 'maybe'",
                "shipgate.yml:7:81: error: 'environments.e.strategy.canary.steps[0].analysis.metrics[0].http' needs 'path': the path to request, such as /health",
                "shipgate.yml:7:87: error: unknown metric 'lateny' in 'environments.e.strategy.canary.steps[0].analysis.metrics[1]'; use error-rate, latency, prometheus, http or command; did you mean 'latency'?",
            ],
            result.Diagnostics.Select(d => d.ToString()));
    }

    private static CanaryStrategy CanaryOf(string body) => Assert.IsType<CanaryStrategy>(Assert.Single(Valid(Environment(body)).Environments).Strategy);

    private static CanaryAnalysisStep AnalysisOf(string step) =>
        Assert.IsType<CanaryAnalysisStep>(CanaryOf($"    strategy:\n      canary:\n        steps:\n          {step}\n").Steps.Single());
}
