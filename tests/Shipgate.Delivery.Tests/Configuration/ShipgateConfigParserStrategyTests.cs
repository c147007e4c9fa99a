using Shipgate.Delivery.Configuration;
using static Shipgate.Delivery.Tests.Configuration.TestConfigs;

namespace Shipgate.Delivery.Tests.Configuration;

public sealed class ShipgateConfigParserStrategyTests
{
    private static RolloutStrategy StrategyOf(string yaml) => Assert.Single(Valid(yaml).Environments).Strategy;

    [Theory]
    [InlineData("strategy: rolling")]
    [InlineData("strategy: { rolling: {} }")]
    [InlineData("strategy:\n      rolling:")]
    public void Parse_Rolling_IsRead(string line)
    {
        var strategy = Assert.IsType<RollingStrategy>(StrategyOf(Environment($"    {line}\n")));

        Assert.Equal("rolling", strategy.Name);
        Assert.NotNull(strategy.Location);
    }

    [Fact]
    public void Parse_BlueGreen_IsRead() =>
        Assert.Equal("blue-green", Assert.IsType<BlueGreenStrategy>(StrategyOf(Environment("    strategy: blue-green\n"))).Name);

    [Fact]
    public void Parse_CanaryWithEveryStepKind_IsRead()
    {
        var canary = Assert.IsType<CanaryStrategy>(StrategyOf(Environment("""
                approval:
                  reviewers: [alice]
                strategy:
                  canary:
                    steps:
                      - weight: 0.5
                      - pause: { duration: 5m }
                      - pause: {}
                      - analysis: { duration: 2m }
                      - approval: {}
                      - approval: { reviewers: [team:sre], required: 1 }
                      - weight: 100

            """)));

        Assert.Equal(["weight", "pause", "pause", "analysis", "approval", "approval", "weight"], canary.Steps.Select(s => s.Kind));
        Assert.Equal(0.5, Assert.IsType<CanaryWeightStep>(canary.Steps[0]).Weight);
        Assert.Equal(TimeSpan.FromMinutes(5), Assert.IsType<CanaryPauseStep>(canary.Steps[1]).Duration);
        Assert.Null(Assert.IsType<CanaryPauseStep>(canary.Steps[2]).Duration);
        Assert.Equal(TimeSpan.FromMinutes(2), Assert.IsType<CanaryAnalysisStep>(canary.Steps[3]).Duration);
        Assert.Null(Assert.IsType<CanaryApprovalStep>(canary.Steps[4]).Approval);
        Assert.Equal("team:sre", Assert.IsType<CanaryApprovalStep>(canary.Steps[5]).Approval!.Reviewers.Single().ToString());
        Assert.Equal(At(8, 13), canary.Steps[0].Location);
    }

    [Theory]
    [InlineData("strategy: canry", 3, 15, "'environments.e.strategy' must be rolling, blue-green, canary, shadow or flag, not 'canry'; did you mean 'canary'?")]
    [InlineData("strategy: canary", 3, 15, "'environments.e.strategy: canary' needs its steps: write 'canary:' with 'steps:' under it")]
    [InlineData("strategy: { canary: {} }", 3, 17, "'environments.e.strategy.canary' needs 'steps' (weight, pause, analysis, approval)")]
    [InlineData("strategy: { rolling: {}, canary: {} }", 3, 15, "'environments.e.strategy' must be rolling, blue-green, or a mapping with one of them (canary: with its steps, shadow: with its phase, flag: with its key and steps)")]
    [InlineData("strategy: { bluegreen: {} }", 3, 17, "unknown strategy 'bluegreen' in 'environments.e.strategy'; use rolling, blue-green, canary, shadow or flag; did you mean 'blue-green'?")]
    [InlineData("strategy: { rolling: { max-surge: 1 } }", 3, 28, "'environments.e.strategy.rolling' takes no options, not 'max-surge'")]
    [InlineData("strategy: { canary: { steps: [] } }", 3, 34, "'environments.e.strategy.canary.steps' must be a sequence of steps (- weight: 10, - analysis: { duration: 2m }, ...), not an empty sequence")]
    public void Parse_BadStrategy_IsErrorAtTheValue(string yaml, int line, int column, string message)
    {
        var error = SingleError(Environment($"    {yaml}\n"));

        Assert.Equal(At(line, column), error.Location);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_CanaryWithMisspeltSteps_ReportsTheKeyAndTheMissingSteps()
    {
        var result = Load(Environment("    strategy: { canary: { step: [] } }\n"));

        Assert.Null(result.Config);
        Assert.Equal(
            [
                "shipgate.yml:3:17: error: 'environments.e.strategy.canary' needs 'steps' (weight, pause, analysis, approval)",
                "shipgate.yml:3:27: error: unknown key 'step' in 'environments.e.strategy.canary'; did you mean 'steps'?",
            ],
            result.Diagnostics.Select(d => d.ToString()));
    }

    [Theory]
    [InlineData("- weight: 150", 21, "'environments.e.strategy.canary.steps[0].weight' must be a percentage from 0 to 100 with at most one decimal, not '150'")]
    [InlineData("- weight: 10.55", 21, "'environments.e.strategy.canary.steps[0].weight' must be a percentage from 0 to 100 with at most one decimal, not '10.55'")]
    [InlineData("- weight: ten", 21, "'environments.e.strategy.canary.steps[0].weight' must be a percentage from 0 to 100 with at most one decimal, not 'ten'")]
    [InlineData("- wieght: 10", 13, "unknown canary step 'wieght' in 'environments.e.strategy.canary.steps[0]'; use weight, pause, analysis, approval, mirror or header-route; did you mean 'weight'?")]
    [InlineData("- { weight: 10, pause: {} }", 13, "'environments.e.strategy.canary.steps[0]' must be a mapping with one key: weight, pause, analysis, approval, mirror or header-route")]
    [InlineData("- analysis: {}", 23, "'environments.e.strategy.canary.steps[0].analysis' needs 'duration', such as { duration: 2m }")]
    [InlineData("- analysis: { duration: 2m, metric: errors }", 39, "unknown key 'metric' in 'environments.e.strategy.canary.steps[0].analysis'; did you mean 'metrics'?")]
    [InlineData("- pause: { duration: soon }", 32, "'environments.e.strategy.canary.steps[0].pause.duration' must be a duration such as 90s, 30m, 24h, 7d or 1h30m, not 'soon'")]
    [InlineData("- approval: {}", 13, "this approval step of 'environments.e.strategy' names no reviewers and the environment has no 'approval' block; add 'reviewers' to the step")]
    [InlineData("- approval: { required: 2 }", 23, "'environments.e.strategy.canary.steps[0].approval' needs 'reviewers': the users and team:NAME entries who may approve")]
    [InlineData("- mirror: { percent: 20 }", 21, "'environments.e.strategy.canary.steps[0].mirror' needs 'duration', such as { percent: 20, duration: 1m }")]
    [InlineData("- mirror: { percent: 120, duration: 1m }", 32, "'environments.e.strategy.canary.steps[0].mirror.percent' must be a percentage from 0 to 100 with at most one decimal, not '120'")]
    [InlineData("- mirror: { percent: 20, duration: 1m, compare: body }", 59, "'environments.e.strategy.canary.steps[0].mirror.compare' must be a sequence of status, latency and body, such as [status, body]")]
    [InlineData("- mirror: { percent: 0, duration: 1m }", 32, "'environments.e.strategy.canary.steps[0].mirror.percent' must be above 0: a mirror of no requests shows nothing")]
    [InlineData("- mirror: { percent: 20, duration: 1m, on-failure: freeze }", 50, "unknown key 'on-failure' in 'environments.e.strategy.canary.steps[0].mirror'")]
    [InlineData("- header-route: { name: X-Canary }", 27, "'environments.e.strategy.canary.steps[0].header-route' needs 'value', such as { name: X-Canary, value: \"1\" }")]
    [InlineData("- header-route: { name: 'X Canary', value: '1' }", 35, "'environments.e.strategy.canary.steps[0].header-route.name' must be an HTTP header name (letters, digits and !#$%&'*+-.^_`|~, at most 100), not 'X Canary'")]
    public void Parse_BadCanaryStep_IsErrorAtTheStep(string step, int column, string message)
    {
        var error = SingleError(Environment($"    strategy:\n      canary:\n        steps:\n          {step}\n"));

        Assert.Equal(At(6, column), error.Location);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_MirrorHeaderRouteAndOnFailure_AreRead()
    {
        var canary = Assert.IsType<CanaryStrategy>(StrategyOf(Environment("""
                strategy:
                  canary:
                    on-failure: freeze
                    steps:
                      - mirror: { percent: 12.5, duration: 1m }
                      - header-route: { name: X-Canary, value: "yes" }
                      - weight: 10
            """)));

        Assert.Equal(CanaryFailureAction.Freeze, canary.OnFailure);
        Assert.Equal(new CanaryMirrorStep(12.5, TimeSpan.FromMinutes(1), canary.Steps[0].Location), canary.Steps[0]);
        Assert.Equal(new CanaryHeaderRouteStep("X-Canary", "yes", canary.Steps[1].Location), canary.Steps[1]);
    }

    [Fact]
    public void Parse_Shadow_ReadsItsPhaseAndComparison()
    {
        var shadow = Assert.IsType<ShadowStrategy>(StrategyOf(Environment("""
                strategy:
                  shadow:
                    percent: 25
                    duration: 10m
                    max-mismatch: 0.5%
                    min-requests: 40
                    on-inconclusive: fail
                    on-failure: freeze
                    compare:
                      - status
                      - latency: { ratio: 3 }
                      - body: { paths: [/api/**, /orders/*], ignore: [timestamp, $.meta.requestId] }
            """)));

        Assert.Equal("shadow", shadow.Name);
        Assert.Equal(CanaryFailureAction.Freeze, shadow.OnFailure);
        Assert.Equal((25, TimeSpan.FromMinutes(10)), (shadow.Phase.Percent, shadow.Phase.Duration));
        var compare = shadow.Phase.Compare!;
        Assert.Equal((0.005, 40, InconclusivePolicy.Fail, true, 3.0), (compare.MaxMismatch, compare.MinRequests, compare.OnInconclusive, compare.Status, compare.LatencyRatio));
        Assert.Equal(["/api/**", "/orders/*"], compare.BodyPaths);
        Assert.Equal(["timestamp", "$.meta.requestId"], compare.IgnoreFields);
        Assert.Equal("status, latency (3×), body on /api/** /orders/* ignoring timestamp $.meta.requestId", compare.Describe());
        var asCanary = shadow.AsCanary;
        Assert.Equal([shadow.Phase], asCanary.Steps);
        Assert.Equal(CanaryFailureAction.Freeze, asCanary.OnFailure);
    }

    [Fact]
    public void Parse_ShadowWithDefaults_ComparesStatusWithinOnePercent()
    {
        var shadow = Assert.IsType<ShadowStrategy>(StrategyOf(Environment("    strategy: { shadow: { percent: 10, duration: 5m } }\n")));

        Assert.Equal(new ShadowComparison(), shadow.Phase.Compare);
        Assert.Equal("status", shadow.Phase.Compare!.Describe());
        Assert.Equal(CanaryFailureAction.Rollback, shadow.OnFailure);
    }

    [Fact]
    public void Parse_PlainLatencyAndBody_CompareTwiceAsSlowAndEveryRoute()
    {
        var compare = Assert.IsType<ShadowStrategy>(StrategyOf(Environment("    strategy: { shadow: { percent: 10, duration: 5m, compare: [latency, body] } }\n"))).Phase.Compare!;

        Assert.Equal((false, 2.0), (compare.Status, compare.LatencyRatio));
        Assert.Equal(["/**"], compare.BodyPaths);
    }

    [Fact]
    public void Parse_MirrorStepWithMaxMismatch_Compares()
    {
        var canary = Assert.IsType<CanaryStrategy>(StrategyOf(Environment("    strategy: { canary: { steps: [ { mirror: { percent: 5, duration: 1m, max-mismatch: 2% } }, { weight: 10 } ] } }\n")));

        Assert.Equal(new ShadowComparison { MaxMismatch = 0.02 }, Assert.IsType<CanaryMirrorStep>(canary.Steps[0]).Compare);
    }

    [Theory]
    [InlineData("strategy: shadow", 3, 15, "'environments.e.strategy: shadow' needs its phase: write 'shadow:' with 'percent:' and 'duration:' under it")]
    [InlineData("strategy: { shadow: { percent: 10 } }", 3, 25, "'environments.e.strategy.shadow' needs 'duration', such as { percent: 20, duration: 1m }")]
    [InlineData("strategy: { shadow: { percent: 10, duration: 1m, max-mismatch: 1 } }", 3, 68, "'environments.e.strategy.shadow.max-mismatch' must be a percentage from 0% to 100%, such as 10%, not '1'")]
    [InlineData("strategy: { shadow: { percent: 10, duration: 1m, min-requests: 0 } }", 3, 68, "'environments.e.strategy.shadow.min-requests' must be a whole number from 1 to 100000000, not '0'")]
    [InlineData("strategy: { shadow: { percent: 10, duration: 1m, compare: [] } }", 3, 63, "'environments.e.strategy.shadow.compare' must be a sequence of status, latency and body, such as [status, body]")]
    [InlineData("strategy: { shadow: { percent: 10, duration: 1m, compare: [stauts] } }", 3, 64, "'environments.e.strategy.shadow.compare[0]' must be status, latency or body; did you mean 'status'?")]
    [InlineData("strategy: { shadow: { percent: 10, duration: 1m, compare: [ { latency: { ratio: 0.5 } } ] } }", 3, 85, "'environments.e.strategy.shadow.compare[0].latency.ratio' must be a number of at least 1, such as 2 (twice as slow), not '0.5'")]
    [InlineData("strategy: { shadow: { percent: 10, duration: 1m, compare: [ { body: { paths: [api] } } ] } }", 3, 83, "'environments.e.strategy.shadow.compare[0].body.paths' holds path patterns that start with '/', with * for one whole segment and ** only at the end, such as /api/** or /orders/*, not 'api'")]
    [InlineData("strategy: { shadow: { percent: 10, duration: 1m, compare: [ { body: { paths: [/api/**/x] } } ] } }", 3, 83, "'environments.e.strategy.shadow.compare[0].body.paths' holds path patterns that start with '/', with * for one whole segment and ** only at the end, such as /api/** or /orders/*, not '/api/**/x'")]
    [InlineData("strategy: { shadow: { percent: 10, duration: 1m, compare: [ { body: { paths: [/api/v*] } } ] } }", 3, 83, "'environments.e.strategy.shadow.compare[0].body.paths' holds path patterns that start with '/', with * for one whole segment and ** only at the end, such as /api/** or /orders/*, not '/api/v*'")]
    [InlineData("strategy: { shadow: { percent: 10, duration: 1m, compare: [ { body: { ignore: ['$.a..b'] } } ] } }", 3, 84, "'environments.e.strategy.shadow.compare[0].body.ignore' holds field names or paths from the root such as $.meta.requestId, not '$.a..b'")]
    [InlineData("strategy: { shadow: { percent: 10, duration: 1m, compare: [ { status: {} } ] } }", 3, 67, "'environments.e.strategy.shadow.compare[0].status' takes no options")]
    public void Parse_BadShadow_IsErrorAtTheValue(string yaml, int line, int column, string message)
    {
        var error = SingleError(Environment($"    {yaml}\n"));

        Assert.Equal(message, error.Message);
        Assert.Equal(At(line, column), error.Location);
    }

    [Fact]
    public void Parse_CanaryWithoutOnFailure_RollsBack() =>
        Assert.Equal(CanaryFailureAction.Rollback, Assert.IsType<CanaryStrategy>(StrategyOf(Environment("    strategy: { canary: { steps: [ { weight: 10 } ] } }\n"))).OnFailure);

    [Theory]
    [InlineData("on-failure: pause\n        steps: [ { weight: 10 } ]", 5, 21, "'environments.e.strategy.canary.on-failure' must be rollback or freeze, not 'pause'")]
    [InlineData("steps: [ { weight: 20 }, { weight: 10 } ]", 5, 36, "'environments.e.strategy.canary.steps': weight 10 is below the earlier 20 (line 5); a canary's weights may not go down")]
    [InlineData("steps: [ { weight: 20 }, { mirror: { percent: 10, duration: 1m } } ]", 5, 36, "'environments.e.strategy.canary.steps': a mirror step comes before live traffic, but weight 20 is given earlier (line 5)")]
    public void Parse_BadCanaryOrderOrOnFailure_IsErrorAtTheValue(string yaml, int line, int column, string message)
    {
        var error = SingleError(Environment($"    strategy:\n      canary:\n        {yaml}\n"));

        Assert.Equal(message, error.Message);
        Assert.Equal(At(line, column), error.Location);
    }

    [Fact]
    public void Parse_FlagRamp_IsRead()
    {
        var ramp = Assert.IsType<FlagRampStrategy>(StrategyOf(Environment("""
                strategy:
                  flag:
                    key: new-checkout
                    on-failure: freeze
                    guardrails: { max-error-rate: 5% }
                    steps:
                      - percent: 5
                      - analysis: { duration: 5m }
                      - percent: 25.5
                      - pause: { duration: 10m }
                      - percent: 100
            """)));

        Assert.Equal("flag", ramp.Name);
        Assert.Equal("new-checkout", ramp.Key);
        Assert.Null(ramp.AsCanary);
        Assert.Equal(CanaryFailureAction.Freeze, ramp.OnFailure);
        Assert.Equal(0.05, ramp.Guardrails.MaxErrorRate);
        Assert.Equal(["percent", "analysis", "percent", "pause", "percent"], ramp.Steps.Select(s => s.Kind));
        Assert.Equal(25.5, Assert.IsType<FlagPercentStep>(ramp.Steps[2]).Percent);
        Assert.Equal(ramp.Steps, ramp.Judged.Steps);
        Assert.Equal(CanaryFailureAction.Freeze, ramp.Judged.OnFailure);
    }

    [Theory]
    [InlineData("strategy: flag", 3, 15, "'environments.e.strategy: flag' needs its flag and steps: write 'flag:' with 'key:' and 'steps:' under it")]
    [InlineData("strategy: { flag: { steps: [ { percent: 5 } ] } }", 3, 17, "'environments.e.strategy.flag' needs 'key', such as { key: new-checkout, steps: [ { percent: 5 }, { analysis: { duration: 5m } }, { percent: 100 } ] }")]
    [InlineData("strategy: { flag: { key: a b, steps: [ { percent: 5 } ] } }", 3, 30, "'environments.e.strategy.flag.key' must be 1 to 64 letters, digits, '-', '_' or '.' (what the edge counts in X-Shipgate-Flags), not 'a b'")]
    [InlineData("strategy: { flag: { key: f, steps: [ { pause: {} } ] } }", 3, 40, "'environments.e.strategy.flag.steps' has no percent step, so it would never turn the flag on; add one, such as '- percent: 5'")]
    [InlineData("strategy: { flag: { key: f, steps: [ { weight: 5 } ] } }", 3, 44, "unknown flag ramp step 'weight' in 'environments.e.strategy.flag.steps[0]'; use percent, pause, analysis or approval")]
    [InlineData("strategy: { flag: { key: f, steps: [ { percent: 101 } ] } }", 3, 53, "'environments.e.strategy.flag.steps[0].percent' must be a percentage from 0 to 100 with at most one decimal, not '101'")]
    [InlineData("strategy: { flag: { key: f, on-failure: rollback, steps: [ { percent: 5 } ] } }", 3, 45, "'environments.e.strategy.flag.on-failure' must be off or freeze, not 'rollback'")]
    [InlineData("strategy: { flag: { key: f, step: [ { percent: 5 } ] } }", 3, 17, "'environments.e.strategy.flag' needs 'steps', such as { key: new-checkout, steps: [ { percent: 5 }, { analysis: { duration: 5m } }, { percent: 100 } ] }")]
    public void Parse_BadFlagRamp_IsErrorAtItsPlace(string yaml, int line, int column, string message)
    {
        var result = Load(Environment($"    {yaml}\n"));

        Assert.Null(result.Config);
        Assert.Contains($"shipgate.yml:{line}:{column}: error: {message}", result.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void Parse_FlagRampPercentGoingDown_IsAnErrorAtTheLowerStep()
    {
        var error = SingleError(Environment("""
                strategy:
                  flag:
                    key: f
                    steps:
                      - percent: 50
                      - percent: 10
            """));

        Assert.Equal(At(8, 13), error.Location);
        Assert.Equal("'environments.e.strategy.flag.steps': percent 10 is below the earlier 50 (line 7); a flag ramp only goes up (a failure or 'shipgate abort' turns the flag off)", error.Message);
    }
}
