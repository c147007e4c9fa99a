using Shipgate.Core.Workflows;
using static Shipgate.Core.Tests.Workflows.TestWorkflows;

namespace Shipgate.Core.Tests.Workflows;

public sealed class WorkflowParserStepsTests
{
    private const string Job = Header + "  build:\n    runs-on: x\n    steps:\n";

    private static StepDefinition SingleStep(string yaml)
    {
        var (workflow, diagnostics) = Parse(Job + yaml);
        Assert.Empty(diagnostics);
        return Assert.Single(workflow!.Jobs.Single().Steps);
    }

    [Fact]
    public void Parse_RunStepWithEveryKey_ReadsThemAll()
    {
        var step = SingleStep(
            """
                  - id: build
                    name: Build it
                    if: success()
                    run: make
                    shell: bash
                    working-directory: src
                    env:
                      CC: gcc
                    continue-on-error: true
                    timeout-minutes: 5
            """);

        Assert.Equal(0, step.Index);
        Assert.Equal(At(6, 9), step.Location);
        Assert.Equal("build", step.Id);
        Assert.Equal(At(6, 13), step.IdToken!.Location);
        Assert.Equal("Build it", step.Name!.Value);
        Assert.Equal("success()", step.If!.Value);
        Assert.Equal("make", step.Run!.Value);
        Assert.Equal("bash", step.Shell!.Value);
        Assert.Equal("src", step.WorkingDirectory!.Value);
        Assert.Equal("gcc", step.Env.Single().Value.Value);
        Assert.Equal("true", step.ContinueOnError!.Value);
        Assert.Equal("5", step.TimeoutMinutes!.Value);
    }

    [Fact]
    public void Parse_UsesStep_ReadsWith()
    {
        var step = SingleStep("      - uses: actions/setup-node@v4\n        with:\n          node-version: 20\n          cache: npm\n");

        Assert.Equal("actions/setup-node@v4", step.Uses!.Value);
        Assert.Equal(["node-version", "cache"], step.With.Select(w => w.Key));
        Assert.Equal("20", step.With[0].Value.Value);
    }

    [Theory]
    [InlineData("./actions/local")]
    [InlineData("actions/checkout@v4")]
    [InlineData("octo/repo/path/to/action@main")]
    [InlineData("docker://alpine:3")]
    public void Parse_ValidActionReference_IsAccepted(string uses) => Assert.Equal(uses, SingleStep($"      - uses: {uses}\n").Uses!.Value);

    [Theory]
    [InlineData("actions/checkout")]
    [InlineData("checkout@v4")]
    [InlineData("a/b@")]
    public void Parse_InvalidActionReference_IsError(string uses)
    {
        var error = SingleError(Parse(Job + $"      - uses: {uses}\n").Diagnostics);

        Assert.Equal(At(6, 15), error.Location);
        Assert.Equal($"'jobs.build.steps[0].uses' must be 'owner/repo@ref', 'owner/repo/path@ref' or './path', not '{uses}'", error.Message);
    }

    [Fact]
    public void Parse_UsesWithExpression_IsError() =>
        Assert.Equal(
            "'jobs.build.steps[0].uses' cannot contain an expression",
            SingleError(Parse(Job + "      - uses: actions/checkout@${{ inputs.v }}\n").Diagnostics).Message);

    [Fact]
    public void Parse_UnknownStepKey_SuggestsTheClosest()
    {
        var error = SingleError(Parse(Job + "      - run: x\n        enviroment: {}\n").Diagnostics);

        Assert.Equal(At(7, 9), error.Location);
        Assert.Equal("unknown key 'enviroment' in 'jobs.build.steps[0]'", error.Message);
    }

    [Fact]
    public void Parse_MisspeltWorkingDirectory_SuggestsIt() =>
        Assert.Equal(
            "unknown key 'workingdirectory' in 'jobs.build.steps[0]'; did you mean 'working-directory'?",
            SingleError(Parse(Job + "      - run: x\n        workingdirectory: a\n").Diagnostics).Message);

    [Fact]
    public void Parse_InvalidStepId_IsError()
    {
        var error = SingleError(Parse(Job + "      - id: 2nd\n        run: x\n").Diagnostics);

        Assert.Equal(At(6, 13), error.Location);
        Assert.StartsWith("step id '2nd' is invalid", error.Message);
    }

    [Fact]
    public void Parse_WithOnRunStep_IsError()
    {
        var error = SingleError(Parse(Job + "      - run: x\n        with:\n          a: 1\n").Diagnostics);

        Assert.Equal(At(7, 9), error.Location);
        Assert.Equal("'with' can only be used in a step with 'uses'", error.Message);
    }

    [Fact]
    public void Parse_ShellOnUsesStep_IsError() =>
        Assert.Equal(
            "'shell' can only be used in a step with 'run'",
            SingleError(Parse(Job + "      - uses: a/b@v1\n        shell: bash\n").Diagnostics).Message);

    [Fact]
    public void Parse_UnknownShell_IsError()
    {
        var error = SingleError(Parse(Job + "      - run: x\n        shell: fish\n").Diagnostics);

        Assert.Equal(At(7, 16), error.Location);
        Assert.Equal("unknown shell 'fish'; use bash, sh, pwsh, python, or a command with {0} such as 'perl {0}'", error.Message);
    }

    [Fact]
    public void Parse_CustomShellTemplate_IsAccepted() => Assert.Equal("perl {0}", SingleStep("      - run: print 1\n        shell: perl {0}\n").Shell!.Value);

    [Fact]
    public void Parse_EmptyRun_IsError()
    {
        var error = SingleError(Parse(Job + "      - run:\n").Diagnostics);

        Assert.Equal("'jobs.build.steps[0].run' must not be empty", error.Message);
    }

    [Fact]
    public void Parse_RunIsASequence_IsWrongTypeError()
    {
        var error = SingleError(Parse(Job + "      - run: [a, b]\n").Diagnostics);

        Assert.Equal(At(6, 14), error.Location);
        Assert.Equal("'jobs.build.steps[0].run' must be a string, not a sequence", error.Message);
    }

    [Fact]
    public void Parse_WithValueIsMapping_IsWrongTypeError() =>
        Assert.Equal(
            "'jobs.build.steps[0].with.opts' must be a string, not a mapping",
            SingleError(Parse(Job + "      - uses: a/b@v1\n        with:\n          opts: {x: 1}\n").Diagnostics).Message);

    [Fact]
    public void Parse_StepsNotASequence_IsError() =>
        Assert.Equal(
            "'jobs.build.steps' must be a sequence of steps, not a mapping",
            SingleError(Parse(Header + "  build:\n    runs-on: x\n    steps:\n      run: x\n").Diagnostics).Message);

    [Fact]
    public void Parse_EmptySteps_IsError() =>
        Assert.Equal("job 'build' has no steps", SingleError(Parse(Header + "  build:\n    runs-on: x\n    steps: []\n").Diagnostics).Message);

    [Fact]
    public void Parse_StepNotAMapping_IsError()
    {
        var error = SingleError(Parse(Job + "      - echo hi\n").Diagnostics);

        Assert.Equal(At(6, 9), error.Location);
        Assert.Equal("'jobs.build.steps[0]' must be a mapping, not a string", error.Message);
    }

    [Fact]
    public void Parse_StepTimeoutNegative_IsError() =>
        Assert.Equal(
            "'jobs.build.steps[0].timeout-minutes' must be a number or an expression, not '-1'",
            SingleError(Parse(Job + "      - run: x\n        timeout-minutes: -1\n").Diagnostics).Message);

    [Fact]
    public void Parse_StepsIndexes_FollowFileOrder()
    {
        var (workflow, _) = Parse(Job + "      - run: a\n      - run: b\n      - uses: c/d@v1\n");

        Assert.Equal([0, 1, 2], workflow!.Jobs.Single().Steps.Select(s => s.Index));
    }
}
