using System.Net;
using Shipgate.Delivery.Analysis;
using Shipgate.Delivery.Configuration;
using static Shipgate.Delivery.Tests.Analysis.CanarySimulation;

namespace Shipgate.Delivery.Tests.Analysis;

public sealed class MetricProvidersTests : IAsyncLifetime
{
    private const string OneSample = """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"version":"v2"},"value":[1765000000.5,"0.002"]}]}}""";

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly SimulatedEdge _edge = new(Subject, seed: 1);
    private StubHttpServer _prometheus = null!;
    private StubHttpServer _admin = null!;

    public async ValueTask InitializeAsync()
    {
        _prometheus = (await StubHttpServer.StartAsync()).AnswerJson(OneSample);
        _admin = await StubHttpServer.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _prometheus.DisposeAsync();
        await _admin.DisposeAsync();
    }

    [Fact]
    public async Task Prometheus_OneSampleMeetingSuccess_PassesAndSendsTheQueryWithTheVersions()
    {
        var reading = await MeasureAsync(Query("sum(rate(errors{version=\"{{canary}}\",service=\"{{service}}\"}[1m])) / {{stable}}") with { Success = Condition("< 0.01") });

        Assert.Equal(AnalysisOutcome.Passed, reading.Outcome);
        Assert.Equal("0.002 meets the success condition < 0.01", reading.Summary);
        Assert.Equal(0.002, reading.Values["value"]);
        var (line, _) = Assert.Single(_prometheus.Requests);
        Assert.Equal("GET /api/v1/query?query=" + Uri.EscapeDataString("sum(rate(errors{version=\"v2\",service=\"web\"}[1m])) / v1"), line);
    }

    [Fact]
    public async Task Prometheus_FailureConditionMet_Fails()
    {
        var reading = await MeasureAsync(Query("x") with { Failure = Condition(">= 0.001") });

        Assert.Equal(AnalysisOutcome.Failed, reading.Outcome);
        Assert.Equal("0.002 meets the failure condition >= 0.001", reading.Summary);
    }

    [Fact]
    public async Task Prometheus_OnlySuccessAndNotMet_Fails() =>
        Assert.Equal(AnalysisOutcome.Failed, (await MeasureAsync(Query("x") with { Success = Condition("== 0") })).Outcome);

    [Fact]
    public async Task Prometheus_ScalarResult_IsRead()
    {
        _prometheus.AnswerJson("""{"status":"success","data":{"resultType":"scalar","result":[1765000000,"42"]}}""");

        Assert.Equal(42, (await MeasureAsync(Query("scalar(x)") with { Success = Condition("> 1") })).Values["value"]);
    }

    [Fact]
    public async Task Prometheus_InfiniteValue_IsJudgedButNotRecorded()
    {
        _prometheus.AnswerJson(OneSample.Replace("0.002", "+Inf", StringComparison.Ordinal));

        var reading = await MeasureAsync(Query("errors / requests") with { Failure = Condition("> 0.05") });

        Assert.Equal(AnalysisOutcome.Failed, reading.Outcome);
        Assert.Empty(reading.Values);
    }

    [Theory]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[]}}""", 200, "the query returned 0 series; it must return one number (no data is not a pass)")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"value":[1,"1"]},{"value":[1,"2"]}]}}""", 200, "the query returned 2 series; it must return one number (no data is not a pass)")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"value":[1,"NaN"]}]}}""", 200, "the query returned 'NaN', not a number")]
    [InlineData("""{"status":"error","errorType":"bad_data","error":"parse error at char 4"}""", 400, "the query failed (HTTP 400): parse error at char 4")]
    [InlineData("<html>Bad gateway</html>", 502, "the answer (HTTP 502) is not an instant query's result")]
    public async Task Prometheus_AnswerWithoutOneNumber_IsInconclusive(string json, int status, string problem)
    {
        _prometheus.AnswerJson(json, status);

        var reading = await MeasureAsync(Query("x") with { Success = Condition("< 1") });

        Assert.Equal(AnalysisOutcome.Inconclusive, reading.Outcome);
        Assert.Equal($"Prometheus at {_prometheus.Address}: {problem}", reading.Summary);
    }

    [Fact]
    public async Task Prometheus_NotAnswering_IsInconclusiveNeverPassed()
    {
        var address = _prometheus.Address;
        await _prometheus.DisposeAsync();
        _prometheus = await StubHttpServer.StartAsync();

        var reading = await MeasureAsync(Query("x") with { Success = Condition("< 1") }, new CanaryAnalysisOptions { PrometheusAddresses = [address] });

        Assert.Equal(AnalysisOutcome.Inconclusive, reading.Outcome);
        Assert.Equal($"Prometheus at {address} did not answer (ConnectionError)", reading.Summary);
    }

    [Fact]
    public async Task Prometheus_SilentPastItsTimeout_IsInconclusiveAsTimedOut()
    {
        _prometheus.Answer = context => Task.Delay(Timeout.Infinite, context.RequestAborted);

        var reading = await MeasureAsync(
            Query("x") with { Success = Condition("< 1") },
            new CanaryAnalysisOptions { PrometheusAddresses = [_prometheus.Address], QueryTimeout = TimeSpan.FromMilliseconds(200) });

        Assert.Equal(AnalysisOutcome.Inconclusive, reading.Outcome);
        Assert.Equal($"Prometheus at {_prometheus.Address} did not answer within 200ms", reading.Summary);
    }

    [Fact]
    public async Task Prometheus_NoneConfigured_IsInconclusiveAndSendsNothing()
    {
        var reading = await MeasureAsync(Query("x") with { Success = Condition("< 1") }, new CanaryAnalysisOptions());

        Assert.Equal(AnalysisOutcome.Inconclusive, reading.Outcome);
        Assert.Empty(_prometheus.Requests);
    }

    [Theory]
    [InlineData("")]
    [InlineData("v1/")]
    [InlineData("api/v1/query/../../v1/stop/")]
    public async Task Attack_PrometheusAddressOfTheServersAdminApi_IsNotRequested(string path)
    {
        var reading = await MeasureAsync(Query("x") with { Success = Condition("< 1"), Address = new Uri(_admin.Address, path) });

        Assert.Equal(AnalysisOutcome.Inconclusive, reading.Outcome);
        Assert.EndsWith("is not a Prometheus this server allows (Shipgate:Analysis:Prometheus), so the query was not sent", reading.Summary);
        Assert.Empty(_admin.Requests);
        Assert.Empty(_prometheus.Requests);
    }

    [Fact]
    public async Task Attack_QueryWithUrlSyntax_StaysInTheQueryParameter()
    {
        var query = "up&query=x#/../../v1/stop?a=b%2F..%2F";

        await MeasureAsync(Query(query) with { Success = Condition("< 1") });

        var (line, _) = Assert.Single(_prometheus.Requests);
        Assert.Equal("GET /api/v1/query?query=" + Uri.EscapeDataString(query), line);
    }

    [Fact]
    public async Task Attack_AllowedPrometheusRedirectingToTheAdminApi_IsNotFollowed()
    {
        _prometheus.Answer = context =>
        {
            context.Response.StatusCode = (int)HttpStatusCode.TemporaryRedirect;
            context.Response.Headers.Location = new Uri(_admin.Address, "v1/stop").ToString();
            return Task.CompletedTask;
        };

        var reading = await MeasureAsync(Query("x") with { Success = Condition("< 1") });

        Assert.Equal(AnalysisOutcome.Inconclusive, reading.Outcome);
        Assert.Empty(_admin.Requests);
    }

    [Fact]
    public async Task Http_CheckOfTheCanary_GoesThroughTheEdgePinnedToItsVersion()
    {
        _edge.ListenAddress = _prometheus.Address.ToString().TrimEnd('/');

        var reading = await MeasureAsync(new HttpCheckMetric(new SmokeCheck { Path = "/health/deep" }, At));

        Assert.Equal(AnalysisOutcome.Passed, reading.Outcome);
        var (line, headers) = Assert.Single(_prometheus.Requests);
        Assert.Equal("GET /health/deep", line);
        Assert.Equal("v2", headers["X-Shipgate-Version"]);
        Assert.StartsWith("web.production.localhost", headers.Host.ToString());
    }

    [Fact]
    public async Task Http_WrongStatus_Fails()
    {
        _edge.ListenAddress = _prometheus.Address.ToString().TrimEnd('/');
        _prometheus.Answer = context =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        };

        var reading = await MeasureAsync(new HttpCheckMetric(new SmokeCheck { Path = "/health/deep" }, At));

        Assert.Equal(AnalysisOutcome.Failed, reading.Outcome);
        Assert.Equal("Smoke check 'GET /health/deep' failed: expected status 200, got 503", reading.Summary);
    }

    [Theory]
    [InlineData("//{0}/v1/stop")]
    [InlineData("http://{0}/v1/stop")]
    public async Task Attack_HttpPathLeavingTheEdgesListener_IsNotRequested(string path)
    {
        _edge.ListenAddress = _prometheus.Address.ToString().TrimEnd('/');
        var target = string.Format(System.Globalization.CultureInfo.InvariantCulture, path, _admin.Address.Authority);

        var reading = await MeasureAsync(new HttpCheckMetric(new SmokeCheck { Path = target }, At));

        Assert.Equal(AnalysisOutcome.Failed, reading.Outcome);
        Assert.Equal($"'{target}' does not stay on the edge's listener, so it was not requested", reading.Summary);
        Assert.Empty(_admin.Requests);
    }

    [Fact]
    public async Task Attack_HttpPathWithABackslash_StaysOnTheEdgesListener()
    {
        _edge.ListenAddress = _prometheus.Address.ToString().TrimEnd('/');

        await MeasureAsync(new HttpCheckMetric(new SmokeCheck { Path = $"/\\{_admin.Address.Authority}/v1/stop" }, At));

        Assert.Empty(_admin.Requests);
        Assert.Single(_prometheus.Requests);
    }

    [Fact]
    public async Task Attack_CommandWithNoJobToRunIt_IsNotRunOnTheServer()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"shipgate-analysis-{Guid.NewGuid():N}");

        var reading = await MeasureAsync(new CommandMetric($"touch {marker}", At));

        Assert.Equal(AnalysisOutcome.Inconclusive, reading.Outcome);
        Assert.Equal("no job's sandbox runs this rollout's analysis commands (a retried rollout has no job), so the command was not run", reading.Summary);
        Assert.False(File.Exists(marker));
    }

    [Theory]
    [InlineData(0, false, AnalysisOutcome.Passed, "the command exited 0")]
    [InlineData(3, false, AnalysisOutcome.Failed, "the command exited 3; its last output: 5 of 40 orders failed")]
    [InlineData(null, true, AnalysisOutcome.Inconclusive, "the command did not end within 30s; its last output: 5 of 40 orders failed")]
    public async Task Command_ThroughTheRunner_IsJudgedByItsExitCode(int? exitCode, bool timedOut, AnalysisOutcome outcome, string summary)
    {
        var runner = new FakeCommandRunner { Result = new(exitCode, timedOut, "5 of 40 orders failed") };

        var reading = await MeasureAsync(new CommandMetric("./check-orders.sh", At), commands: runner);

        Assert.Equal(outcome, reading.Outcome);
        Assert.Equal(summary, reading.Summary);
        Assert.Equal((Subject, "./check-orders.sh", TimeSpan.FromSeconds(30)), Assert.Single(runner.Calls));
    }

    [Fact]
    public async Task Look_RolloutsOwnCommandRunner_IsUsedBeforeTheOptionsOne()
    {
        var server = new FakeCommandRunner();
        var job = new FakeCommandRunner { Result = new(2, false, "checkout failed") };
        var step = new CanaryAnalysisStep(TimeSpan.FromMinutes(1), At) { Metrics = [new CommandMetric("./check.sh", At)] };
        var options = new CanaryAnalysisOptions { CommandRunner = server };
        var judgement = new CanaryAnalyst(_edge, TimeProvider.System, options).Begin(Subject, Strategy(TimeSpan.FromMinutes(1)), job);

        var decision = await judgement.LookAsync(step, TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken);

        Assert.Equal(AnalysisOutcome.Failed, decision.Outcome);
        Assert.Equal("command: the command exited 2; its last output: checkout failed", decision.Reason);
        Assert.Single(job.Calls);
        Assert.Empty(server.Calls);
    }

    [Fact]
    public async Task Look_ProviderFailsDuringTheStep_FailsTheLook()
    {
        _prometheus.AnswerJson(OneSample.Replace("0.002", "0.5", StringComparison.Ordinal));
        var step = new CanaryAnalysisStep(TimeSpan.FromMinutes(1), At) { Metrics = [Query("x") with { Failure = Condition("> 0.1"), Label = "orders" }] };
        var judgement = new CanaryAnalyst(_edge, TimeProvider.System, Options()).Begin(Subject, Strategy(TimeSpan.FromMinutes(1)));

        var decision = await judgement.LookAsync(step, TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken);

        Assert.Equal(AnalysisOutcome.Failed, decision.Outcome);
        Assert.Equal("orders: 0.5 meets the failure condition > 0.1", decision.Reason);
    }

    [Fact]
    public async Task Look_ProviderWithoutAnswerAtTheStepsEnd_MakesTheStepInconclusive()
    {
        _prometheus.AnswerJson("""{"status":"success","data":{"resultType":"vector","result":[]}}""");
        var step = new CanaryAnalysisStep(TimeSpan.FromSeconds(1), At) { Metrics = [Query("x") with { Success = Condition("< 1") }], MinRequests = 0 };
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var judgement = new CanaryAnalyst(_edge, time, Options()).Begin(Subject, Strategy(TimeSpan.FromSeconds(1)));
        await judgement.LookAsync(step, TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(1));

        var decision = await judgement.LookAsync(step, TestContext.Current.CancellationToken).WaitAsync(Bound, TestContext.Current.CancellationToken);

        Assert.Equal(AnalysisOutcome.Inconclusive, decision.Outcome);
        Assert.StartsWith("prometheus: Prometheus at ", decision.Reason);
    }

    private static PrometheusMetric Query(string query) => new(query, At);

    private static MetricCondition Condition(string text) => MetricCondition.TryParse(text)!;

    private CanaryAnalysisOptions Options() => new() { PrometheusAddresses = [_prometheus.Address] };

    private Task<AnalysisMeasurement> MeasureAsync(AnalysisMetric metric, CanaryAnalysisOptions? options = null, IAnalysisCommandRunner? commands = null) =>
        new MetricProviders(_edge, TimeProvider.System, options ?? Options(), commands)
            .MeasureAsync(metric, Subject, TestContext.Current.CancellationToken)
            .WaitAsync(Bound, TestContext.Current.CancellationToken);
}
