using Shipgate.Core.Diagnostics;
using Shipgate.Core.Workflows;
using Shipgate.Engine.Runs;
using Shipgate.Engine.Tests.Runs;
using static Shipgate.Engine.Tests.Runs.TestWorkflow;

namespace Shipgate.Engine.Tests.Matrix;

public sealed class MatrixRunTests : IDisposable
{
    private static readonly SourceLocation At = new("test.yml", 1, 1);
    private readonly RunHarness _harness = new();

    private string Shared => _harness.Shared;

    public void Dispose() => _harness.Dispose();

    private static MappingToken Mapping(params (string Key, TemplateToken Value)[] pairs) =>
        new([.. pairs.Select(p => new KeyValuePair<ScalarToken, TemplateToken>(S(p.Key), p.Value))], At);

    private static SequenceToken List(params string[] values) => new([.. values.Select(v => (TemplateToken)S(v))], At);

    [Fact]
    public async Task Matrix_LegsGetValuesIndexesAndGitHubNames()
    {
        var strategy = new StrategyDefinition { Matrix = Mapping(("node", List("18", "20")), ("os", List("ubuntu"))) };
        var workflow = Workflow(Job("build", [Run($"echo '${{{{ matrix.node }}}} ${{{{ matrix.os }}}} ${{{{ strategy.job-index }}}}/${{{{ strategy.job-total }}}}' >> {Shared}/legs")], strategy: strategy));

        var result = await _harness.RunAsync(workflow);

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal(["18 ubuntu 0/2", "20 ubuntu 1/2"], File.ReadAllLines(Path.Combine(Shared, "legs")).Order());
        Assert.Equal(["build (18, ubuntu)", "build (20, ubuntu)"], result.Jobs.Select(j => j.Name).Order());
        Assert.Equal(["build[0]", "build[1]"], result.Jobs.Select(j => j.Key).Order());
    }

    [Fact]
    public async Task Matrix_NamedJobUsingTheMatrix_KeepsItsName()
    {
        var strategy = new StrategyDefinition { Matrix = Mapping(("node", List("18"))) };
        var workflow = Workflow(Job("build", [Run("true")], name: "Node ${{ matrix.node }}", strategy: strategy));

        var result = await _harness.RunAsync(workflow);

        Assert.Equal("Node 18", Assert.Single(result.Jobs).Name);
    }

    [Fact]
    public async Task Matrix_FromAnExpression_UsesTheOutputOfANeed()
    {
        var strategy = new StrategyDefinition { Matrix = S("${{ fromJSON(needs.plan.outputs.matrix) }}") };
        var workflow = Workflow(
            Job("plan", [Run("echo 'matrix={\"include\":[{\"site\":\"a\"},{\"site\":\"b\"}]}' >> $GITHUB_OUTPUT", id: "p")], outputs: [("matrix", "${{ steps.p.outputs.matrix }}")]),
            Job("deploy", [Run($"echo ${{{{ matrix.site }}}} >> {Shared}/sites")], needs: ["plan"], strategy: strategy));

        var result = await _harness.RunAsync(workflow);

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal(["a", "b"], File.ReadAllLines(Path.Combine(Shared, "sites")).Order());
    }

    [Fact]
    public async Task FailFast_AFailedLegCancelsTheOthers()
    {
        // Leg 1 fails once leg 0 is running; leg 0 would run for minutes unless cancelled.
        var strategy = new StrategyDefinition { Matrix = Mapping(("leg", List("0", "1"))) };
        var script = $"if [ ${{{{ matrix.leg }}}} = 1 ]; then while [ ! -e {Shared}/leg0 ]; do sleep 0.05; done; exit 1; fi; touch {Shared}/leg0; sleep 300";
        var workflow = Workflow(Job("test", [Run(script)], strategy: strategy));

        var result = await _harness.RunAsync(_harness.Request(workflow), new RunEngineOptions { MaxParallelJobs = 2 });

        Assert.Equal(Conclusion.Failure, result.Conclusion);
        Assert.Equal(Conclusion.Cancelled, result.Jobs.Single(j => j.Key == "test[0]").Conclusion);
        Assert.Equal(Conclusion.Failure, result.Jobs.Single(j => j.Key == "test[1]").Conclusion);
    }

    [Fact]
    public async Task FailFastFalse_OtherLegsRunToTheirEnd()
    {
        var strategy = new StrategyDefinition { Matrix = Mapping(("leg", List("0", "1", "2"))), FailFast = S("false"), MaxParallel = S("1") };
        var workflow = Workflow(
            Job("test", [Run($"touch {Shared}/leg${{{{ matrix.leg }}}}; [ ${{{{ matrix.leg }}}} != 0 ]")], strategy: strategy),
            Job("report", [Run($"echo ${{{{ needs.test.result }}}} > {Shared}/report")], needs: ["test"], condition: "always()"));

        var result = await _harness.RunAsync(workflow);

        Assert.True(File.Exists(Path.Combine(Shared, "leg1")));
        Assert.True(File.Exists(Path.Combine(Shared, "leg2")));
        Assert.Equal("failure\n", _harness.ReadShared("report"));
    }

    [Fact]
    public async Task MaxParallel_LimitsLegsRunningAtOnce()
    {
        var strategy = new StrategyDefinition { Matrix = Mapping(("leg", List("0", "1", "2", "3"))), MaxParallel = S("1") };
        var workflow = Workflow(Job("test", [Run(RunEngineTests.Exclusive(Shared))], strategy: strategy));

        var result = await _harness.RunAsync(_harness.Request(workflow), new RunEngineOptions { MaxParallelJobs = 4 });

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.False(File.Exists(Path.Combine(Shared, "overlap")));
        Assert.Equal(4, File.ReadAllLines(Path.Combine(Shared, "entered")).Length);
    }

    [Fact]
    public async Task ContinueOnErrorFromTheMatrix_ExperimentalLegDoesNotFailTheRun()
    {
        var strategy = new StrategyDefinition
        {
            Matrix = Mapping(("v", List("1")), ("include", new SequenceToken([Mapping(("v", S("2")), ("experimental", S("true")))], At))),
        };
        var job = new JobDefinition
        {
            Id = "test",
            Location = At,
            RunsOn = S("ubuntu-latest"),
            Strategy = strategy,
            ContinueOnError = S("${{ matrix.experimental == true }}"),
            Steps = [Run("[ ${{ matrix.v }} = 1 ]")],
        };

        var result = await _harness.RunAsync(Workflow(job));

        Assert.Equal(Conclusion.Success, result.Conclusion);
        var experimental = result.Jobs.Single(j => j.Key == "test[1]");
        Assert.Equal(Conclusion.Failure, experimental.Outcome);
        Assert.Equal(Conclusion.Success, experimental.Conclusion);
    }

    [Fact]
    public async Task Matrix_RunsOnFromTheMatrix_FailsLegsNoRunnerServes()
    {
        var strategy = new StrategyDefinition { Matrix = Mapping(("os", List("ubuntu-latest", "windows-latest"))), FailFast = S("false") };
        var workflow = Workflow(Job("test", [Run("true")], runsOn: S("${{ matrix.os }}"), strategy: strategy));

        var result = await _harness.RunAsync(workflow);

        Assert.Equal(Conclusion.Success, result.Jobs.Single(j => j.Key == "test[0]").Conclusion);
        Assert.Contains("'windows-latest'", result.Jobs.Single(j => j.Key == "test[1]").Reason);
    }
}
