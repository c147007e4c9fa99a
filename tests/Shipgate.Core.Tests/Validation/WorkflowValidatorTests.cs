using System.Text;
using static Shipgate.Core.Tests.Workflows.TestWorkflows;

namespace Shipgate.Core.Tests.Validation;

public sealed class WorkflowValidatorTests
{
    private static string Job(string id, string extra = "") => $"  {id}:\n{extra}    runs-on: x\n    steps:\n      - run: echo {id}\n";

    private static string Steps(string steps) => Header + "  build:\n    runs-on: x\n    steps:\n" + steps;

    [Fact]
    public void Validate_UnknownNeeds_IsErrorAtTheNeedWithSuggestion()
    {
        var result = Load(Header + Job("build") + Job("deploy", "    needs: [biuld]\n"));

        var error = SingleError(result.Diagnostics);
        Assert.Equal(At(8, 13), error.Location);
        Assert.Equal("job 'deploy' needs 'biuld', which is not a job of this workflow; did you mean 'build'?", error.Message);
    }

    [Fact]
    public void Validate_NeedsCycleOfTwo_NamesTheCycleOnce()
    {
        var result = Load(Header + Job("a", "    needs: b\n") + Job("b", "    needs: a\n"));

        var error = SingleError(result.Diagnostics);
        Assert.Equal(At(9, 12), error.Location);
        Assert.Equal("needs form a cycle: a -> b -> a", error.Message);
    }

    [Fact]
    public void Validate_NeedsItself_IsACycle()
    {
        var error = SingleError(Load(Header + Job("a", "    needs: [a]\n")).Diagnostics);

        Assert.Equal(At(4, 13), error.Location);
        Assert.Equal("needs form a cycle: a -> a", error.Message);
    }

    [Fact]
    public void Validate_CycleOfThreeBehindAnotherJob_NamesOnlyTheCycle()
    {
        var result = Load(Header + Job("start", "    needs: a\n") + Job("a", "    needs: b\n") + Job("b", "    needs: c\n") + Job("c", "    needs: [a, start]\n"));

        Assert.Equal(
            ["needs form a cycle: start -> a -> b -> c -> start", "needs form a cycle: a -> b -> c -> a"],
            result.Diagnostics.Select(d => d.Message).Order().Reverse());
    }

    [Fact]
    public void Validate_TwoSeparateCycles_AreBothReported()
    {
        var result = Load(Header + Job("a", "    needs: b\n") + Job("b", "    needs: a\n") + Job("c", "    needs: d\n") + Job("d", "    needs: c\n"));

        Assert.Equal(["needs form a cycle: a -> b -> a", "needs form a cycle: c -> d -> c"], result.Diagnostics.Select(d => d.Message));
    }

    [Fact]
    public void Validate_DiamondNeeds_IsNotACycle()
    {
        var result = Load(Header + Job("a") + Job("b", "    needs: a\n") + Job("c", "    needs: a\n") + Job("d", "    needs: [b, c]\n"));

        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Validate_LongChainOfNeeds_DoesNotOverflowTheStack()
    {
        // Each job needs the next one, so the depth-first search goes 10,000 jobs deep from the first.
        var yaml = new StringBuilder(Header);
        for (var i = 0; i < 10_000; i++)
        {
            yaml.Append($"  j{i}: {{needs: j{i + 1}, runs-on: x, steps: [{{run: x}}]}}\n");
        }

        yaml.Append("  j10000: {needs: j0, runs-on: x, steps: [{run: x}]}\n");
        var result = Load(yaml.ToString());

        var error = SingleError(result.Diagnostics);
        Assert.StartsWith("needs form a cycle: j0 -> j1 -> j2 -> ", error.Message);
        Assert.EndsWith(" -> j10000 -> j0", error.Message);
    }

    [Fact]
    public void Validate_NeedsComparesJobIdsIgnoringCase() => Assert.Empty(Load(Header + Job("Build") + Job("deploy", "    needs: build\n")).Diagnostics);

    [Fact]
    public void Validate_DuplicateStepIds_IsErrorAtTheSecond()
    {
        var error = SingleError(Load(Steps("      - id: test\n        run: a\n      - id: Test\n        run: b\n")).Diagnostics);

        Assert.Equal(At(8, 13), error.Location);
        Assert.Equal("step id 'Test' is already used in job 'build' (line 6)", error.Message);
    }

    [Fact]
    public void Validate_SameStepIdInTwoJobs_IsAccepted() =>
        Assert.Empty(Load(Header + "  a:\n    runs-on: x\n    steps:\n      - id: s\n        run: a\n  b:\n    runs-on: x\n    steps:\n      - id: s\n        run: b\n").Diagnostics);

    [Fact]
    public void Validate_StepWithRunAndUses_IsError()
    {
        var error = SingleError(Load(Steps("      - name: both\n        run: echo\n        uses: actions/checkout@v4\n")).Diagnostics);

        Assert.Equal(At(6, 9), error.Location);
        Assert.Equal("a step cannot have both 'run' and 'uses'", error.Message);
    }

    [Fact]
    public void Validate_StepWithNeitherRunNorUses_IsError()
    {
        var error = SingleError(Load(Steps("      - name: nothing\n")).Diagnostics);

        Assert.Equal(At(6, 9), error.Location);
        Assert.Equal("a step needs 'run' (a script) or 'uses' (an action)", error.Message);
    }

    [Fact]
    public void Validate_EmptyMatrixVector_IsErrorAtTheVector()
    {
        var result = Load(Header + "  build:\n    runs-on: x\n    strategy:\n      matrix:\n        os: [linux]\n        node: []\n    steps:\n      - run: x\n");

        var error = SingleError(result.Diagnostics);
        Assert.Equal(At(8, 15), error.Location);
        Assert.Equal("matrix vector 'node' of job 'build' is empty; give it at least one value", error.Message);
    }

    [Fact]
    public void Validate_MatrixWithoutVectors_IsError() =>
        Assert.Equal(
            "the matrix of job 'build' defines no vector and no 'include'",
            SingleError(Load(Header + "  build:\n    runs-on: x\n    strategy:\n      matrix:\n        exclude: []\n    steps:\n      - run: x\n").Diagnostics).Message);

    [Fact]
    public void Validate_MatrixOnlyInclude_IsAccepted() =>
        Assert.Empty(Load(Header + "  build:\n    runs-on: x\n    strategy:\n      matrix:\n        include:\n          - os: linux\n    steps:\n      - run: x\n").Diagnostics);

    [Fact]
    public void Validate_MatrixOverTheJobLimit_IsError()
    {
        var values = string.Join(", ", Enumerable.Range(0, 17));
        var result = Load(Header + $"  build:\n    runs-on: x\n    strategy:\n      matrix:\n        a: [{values}]\n        b: [{values}]\n    steps:\n      - run: x\n");

        Assert.Equal("the matrix of job 'build' makes 289 jobs; the limit is 256", SingleError(result.Diagnostics).Message);
    }

    [Fact]
    public void Validate_MatrixWithExpressionVector_IsAccepted() =>
        Assert.Empty(Load(Header + "  build:\n    runs-on: x\n    strategy:\n      matrix:\n        os: ${{ fromJSON(inputs.list) }}\n    steps:\n      - run: x\n").Diagnostics);
}
