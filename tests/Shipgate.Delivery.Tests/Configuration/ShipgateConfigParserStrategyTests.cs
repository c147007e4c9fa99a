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
    [InlineData("strategy: canry", 3, 15, "'environments.e.strategy' must be rolling, blue-green or canary, not 'canry'; did you mean 'canary'?")]
    [InlineData("strategy: canary", 3, 15, "'environments.e.strategy: canary' needs its steps: write 'canary:' with 'steps:' under it")]
    [InlineData("strategy: { canary: {} }", 3, 17, "'environments.e.strategy.canary' needs 'steps' (weight, pause, analysis, approval)")]
    [InlineData("strategy: { rolling: {}, canary: {} }", 3, 15, "'environments.e.strategy' must be rolling, blue-green, or a mapping with one of them (canary: with its steps)")]
    [InlineData("strategy: { bluegreen: {} }", 3, 17, "unknown strategy 'bluegreen' in 'environments.e.strategy'; use rolling, blue-green or canary; did you mean 'blue-green'?")]
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
    [InlineData("- wieght: 10", 13, "unknown canary step 'wieght' in 'environments.e.strategy.canary.steps[0]'; use weight, pause, analysis or approval; did you mean 'weight'?")]
    [InlineData("- { weight: 10, pause: {} }", 13, "'environments.e.strategy.canary.steps[0]' must be a mapping with one key: weight, pause, analysis or approval")]
    [InlineData("- analysis: {}", 23, "'environments.e.strategy.canary.steps[0].analysis' needs 'duration', such as { duration: 2m }")]
    [InlineData("- analysis: { duration: 2m, metric: errors }", 39, "unknown key 'metric' in 'environments.e.strategy.canary.steps[0].analysis'; did you mean 'metrics'?")]
    [InlineData("- pause: { duration: soon }", 32, "'environments.e.strategy.canary.steps[0].pause.duration' must be a duration such as 90s, 30m, 24h, 7d or 1h30m, not 'soon'")]
    [InlineData("- approval: {}", 13, "this approval step of 'environments.e.strategy' names no reviewers and the environment has no 'approval' block; add 'reviewers' to the step")]
    [InlineData("- approval: { required: 2 }", 23, "'environments.e.strategy.canary.steps[0].approval' needs 'reviewers': the users and team:NAME entries who may approve")]
    public void Parse_BadCanaryStep_IsErrorAtTheStep(string step, int column, string message)
    {
        var error = SingleError(Environment($"    strategy:\n      canary:\n        steps:\n          {step}\n"));

        Assert.Equal(At(6, column), error.Location);
        Assert.Equal(message, error.Message);
    }
}
