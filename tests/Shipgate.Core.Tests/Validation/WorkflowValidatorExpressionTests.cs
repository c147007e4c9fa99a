using Shipgate.Core.Diagnostics;
using static Shipgate.Core.Tests.Workflows.TestWorkflows;

namespace Shipgate.Core.Tests.Validation;

public sealed class WorkflowValidatorExpressionTests
{
    private static string Steps(string steps) => Header + "  build:\n    runs-on: x\n    steps:\n" + steps;

    [Fact]
    public void Validate_InvalidExpressionInRun_IsErrorAtTheSymbol()
    {
        var error = SingleError(Load(Steps("      - run: echo ${{ 1 + }}\n")).Diagnostics);

        Assert.Equal(At(6, 25), error.Location);
        Assert.StartsWith("Unexpected symbol: '+'.", error.Message);
    }

    [Fact]
    public void Validate_UnterminatedExpression_IsErrorAtItsStart()
    {
        var error = SingleError(Load(Steps("      - run: echo ${{ github.sha\n")).Diagnostics);

        Assert.Equal(At(6, 19), error.Location);
        Assert.StartsWith("The expression is not closed.", error.Message);
    }

    [Fact]
    public void Validate_ExpressionInLiteralBlock_IsPositionedOnItsLine()
    {
        var error = SingleError(Load(Steps("      - run: |\n          echo one\n          echo ${{ nope.x }}\n")).Diagnostics);

        Assert.Equal(At(8, 20), error.Location);
        Assert.StartsWith("Unrecognized named-value: 'nope'.", error.Message);
    }

    [Fact]
    public void Validate_UnknownFunction_IsError()
    {
        var error = SingleError(Load(Steps("      - run: echo ${{ upper('a') }}\n")).Diagnostics);

        Assert.Equal(At(6, 23), error.Location);
        Assert.StartsWith("Unrecognized function: 'upper'.", error.Message);
    }

    [Fact]
    public void Validate_TooFewArguments_IsError()
    {
        var error = SingleError(Load(Steps("      - run: echo ${{ contains('a') }}\n")).Diagnostics);

        Assert.Equal(At(6, 23), error.Location);
        Assert.StartsWith("Too few parameters supplied: 'contains'.", error.Message);
    }

    [Fact]
    public void Validate_TooManyArguments_IsError()
    {
        var error = SingleError(Load(Steps("      - run: echo ok\n        env:\n          A: x ${{ startsWith('a', 'b', 'c') }}\n")).Diagnostics);

        Assert.Equal(At(8, 20), error.Location);
        Assert.StartsWith("Too many parameters supplied: 'startsWith'.", error.Message);
    }

    [Fact]
    public void Validate_ContextNotAvailableInJobIf_NamesWhatIs()
    {
        var error = SingleError(Load(Header + "  build:\n    if: matrix.os == 'linux'\n    runs-on: x\n    steps:\n      - run: x\n").Diagnostics);

        Assert.Equal(At(4, 9), error.Location);
        Assert.Equal(
            "Unrecognized named-value: 'matrix'; 'matrix' is not available in jobs.<job_id>.if, which may use github, needs, vars, inputs. Located at position 1 within expression: matrix.os == 'linux'",
            error.Message);
    }

    [Fact]
    public void Validate_StepsContextInStepIf_IsAccepted() =>
        Assert.Empty(Load(Steps("      - id: a\n        run: x\n      - if: steps.a.outcome == 'success' && env.X != ''\n        run: y\n")).Diagnostics);

    [Fact]
    public void Validate_SecretsInStepIf_IsError() =>
        Assert.StartsWith(
            "Unrecognized named-value: 'secrets'; 'secrets' is not available in jobs.<job_id>.steps.if",
            SingleError(Load(Steps("      - if: secrets.TOKEN != ''\n        run: y\n")).Diagnostics).Message);

    [Fact]
    public void Validate_SecretsInStepRunAndEnv_IsAccepted() =>
        Assert.Empty(Load(Steps("      - run: echo ${{ secrets.A }}\n        env:\n          B: ${{ secrets.B }}\n")).Diagnostics);

    [Fact]
    public void Validate_StatusFunctionInRun_IsError() =>
        Assert.StartsWith(
            "Unrecognized function: 'failure'; failure() can only be used in the 'if' of a job or step.",
            SingleError(Load(Steps("      - run: echo ${{ failure() }}\n")).Diagnostics).Message);

    [Fact]
    public void Validate_StatusFunctionsInIf_AreAccepted() =>
        Assert.Empty(Load(Header + "  build:\n    if: always()\n    runs-on: x\n    steps:\n      - if: ${{ failure() || cancelled() }}\n        run: x\n").Diagnostics);

    [Fact]
    public void Validate_HashFilesInJobKey_IsError() =>
        Assert.StartsWith(
            "Unrecognized function: 'hashFiles'; hashFiles() can only be used in the keys of a step.",
            SingleError(Load(Header + "  build:\n    runs-on: x\n    env:\n      K: ${{ hashFiles('**/*.lock') }}\n    steps:\n      - run: x\n").Diagnostics).Message);

    [Fact]
    public void Validate_HashFilesInStepWith_IsAccepted() =>
        Assert.Empty(Load(Steps("      - uses: actions/cache@v4\n        with:\n          key: ${{ hashFiles('**/*.lock') }}\n")).Diagnostics);

    [Fact]
    public void Validate_StepsContextInJobEnv_IsError() =>
        Assert.StartsWith(
            "Unrecognized named-value: 'steps'; 'steps' is not available in jobs.<job_id>.env",
            SingleError(Load(Header + "  build:\n    runs-on: x\n    env:\n      K: ${{ steps.a.outputs.b }}\n    steps:\n      - run: x\n").Diagnostics).Message);

    [Fact]
    public void Validate_StepsContextInJobOutputs_IsAccepted() =>
        Assert.Empty(Load(Header + "  build:\n    runs-on: x\n    outputs:\n      v: ${{ steps.a.outputs.b }}\n    steps:\n      - id: a\n        run: x\n").Diagnostics);

    [Fact]
    public void Validate_MatrixInRunsOn_IsAccepted() =>
        Assert.Empty(Load(Header + "  build:\n    runs-on: ${{ matrix.os }}\n    strategy:\n      matrix:\n        os: [ubuntu-latest]\n    steps:\n      - run: x\n").Diagnostics);

    [Fact]
    public void Validate_MatrixInsideStrategy_IsError() =>
        Assert.StartsWith(
            "Unrecognized named-value: 'matrix'; 'matrix' is not available in jobs.<job_id>.strategy",
            SingleError(Load(Header + "  build:\n    runs-on: x\n    strategy:\n      matrix:\n        os: [a]\n      max-parallel: ${{ matrix.os }}\n    steps:\n      - run: x\n").Diagnostics).Message);

    [Fact]
    public void Validate_InvalidRunName_IsError() =>
        Assert.StartsWith(
            "Unrecognized named-value: 'secrets'; 'secrets' is not available in run-name",
            SingleError(Load("run-name: ${{ secrets.X }}\n" + Steps("      - run: x\n")).Diagnostics).Message);

    [Fact]
    public void Validate_CallOutputUsesJobs_IsAccepted() =>
        Assert.Empty(Load("on:\n  workflow_call:\n    outputs:\n      v:\n        value: ${{ jobs.build.outputs.v }}\njobs:\n  build:\n    runs-on: x\n    steps:\n      - run: x\n").Diagnostics);

    [Fact]
    public void Validate_EmptyIf_IsAccepted() => Assert.Empty(Load(Steps("      - if: ''\n        run: x\n")).Diagnostics);

    [Fact]
    public void Validate_ManyExpressionErrors_AreAllReported()
    {
        var result = Load(
            """
            on: push
            run-name: ${{ nope }}
            jobs:
              build:
                if: ${{ steps.x }}
                runs-on: x
                timeout-minutes: ${{ 1 + }}
                steps:
                  - name: ${{ foo }}
                    run: echo ${{ bar }}
                    env:
                      A: ${{ baz( }}
            """);

        Assert.Equal([2, 5, 7, 9, 10, 12], result.Diagnostics.Select(d => d.Location!.Line));
        Assert.All(result.Diagnostics, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
    }

    [Fact]
    public void Validate_ExpressionOverTheLengthLimit_IsError()
    {
        var result = Load(Steps($"      - run: echo ${{{{ '{new string('a', 25_000)}' }}}}\n"));

        var error = SingleError(result.Diagnostics);
        Assert.Equal(At(6, 23), error.Location);
        Assert.Equal("Exceeded max expression length 21000", error.Message);
    }
}
