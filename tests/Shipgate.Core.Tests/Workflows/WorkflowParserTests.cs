using static Shipgate.Core.Tests.Workflows.TestWorkflows;

namespace Shipgate.Core.Tests.Workflows;

public sealed class WorkflowParserTests
{
    private const string OneJob = "jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n";

    [Fact]
    public void Parse_TopLevelKeys_AreRead()
    {
        var (workflow, diagnostics) = Parse(
            """
            name: CI
            run-name: Deploy by someone
            on: push
            permissions:
              contents: read
            env:
              A: one
              B: 2
            defaults:
              run:
                shell: bash
                working-directory: src
            concurrency:
              group: ci-main
              cancel-in-progress: true
            """ + "\n" + OneJob);

        Assert.Empty(diagnostics);
        Assert.NotNull(workflow);
        Assert.Equal("CI", workflow.Name!.Value);
        Assert.Equal("Deploy by someone", workflow.RunName!.Value);
        Assert.Equal(["A", "B"], workflow.Env.Select(e => e.Key));
        Assert.Equal("2", workflow.Env[1].Value.Value);
        Assert.Equal("bash", workflow.Defaults!.Shell!.Value);
        Assert.Equal("src", workflow.Defaults.WorkingDirectory!.Value);
        Assert.Equal("ci-main", workflow.Concurrency!.Group.Value);
        Assert.Equal("true", workflow.Concurrency.CancelInProgress!.Value);
        Assert.Equal("build", workflow.Jobs.Single().Id);
    }

    [Fact]
    public void Parse_ConcurrencyAsString_IsTheGroup()
    {
        var (workflow, diagnostics) = Parse("on: push\nconcurrency: deploy\n" + OneJob);

        Assert.Empty(diagnostics);
        Assert.Equal("deploy", workflow!.Concurrency!.Group.Value);
        Assert.Null(workflow.Concurrency.CancelInProgress);
    }

    [Fact]
    public void Parse_ConcurrencyWithoutGroup_IsError()
    {
        var error = SingleError(Parse("on: push\nconcurrency:\n  cancel-in-progress: true\n" + OneJob).Diagnostics);

        Assert.Equal(At(3, 3), error.Location);
        Assert.Equal("'concurrency' needs a 'group'", error.Message);
    }

    [Fact]
    public void Parse_EmptyFile_IsErrorAtTheStart()
    {
        var (workflow, diagnostics) = Parse("");

        Assert.Null(workflow);
        var error = SingleError(diagnostics);
        Assert.Equal(At(1, 1), error.Location);
        Assert.Equal("the workflow file is empty; a workflow needs 'on' and 'jobs'", error.Message);
    }

    [Fact]
    public void Parse_RootIsASequence_IsError()
    {
        var (workflow, diagnostics) = Parse("- on: push\n");

        Assert.Null(workflow);
        Assert.Equal("a workflow must be a mapping with 'on' and 'jobs', not a sequence", SingleError(diagnostics).Message);
    }

    [Fact]
    public void Parse_MissingOnAndJobs_ReportsBoth()
    {
        var (_, diagnostics) = Parse("name: x\n");

        Assert.Equal(
            ["the workflow has no 'on' saying when it runs (e.g. 'on: push')", "the workflow has no 'jobs'"],
            diagnostics.Select(d => d.Message));
    }

    [Fact]
    public void Parse_UnknownTopLevelKey_SuggestsTheClosest()
    {
        var error = SingleError(Parse("on: push\n" + OneJob + "envs:\n  A: 1\n").Diagnostics);

        Assert.Equal(At(7, 1), error.Location);
        Assert.Equal("unknown key 'envs' in the workflow; did you mean 'env'?", error.Message);
    }

    [Fact]
    public void Parse_UnknownKeyFarFromAny_HasNoSuggestion()
    {
        var error = SingleError(Parse("on: push\nbanana: 1\n" + OneJob).Diagnostics);

        Assert.Equal("unknown key 'banana' in the workflow", error.Message);
    }

    [Fact]
    public void Parse_EnvValueIsMapping_IsWrongTypeError()
    {
        var error = SingleError(Parse("on: push\nenv:\n  A:\n    nested: 1\n" + OneJob).Diagnostics);

        Assert.Equal(At(4, 5), error.Location);
        Assert.Equal("'env.A' must be a string, not a mapping", error.Message);
    }

    [Fact]
    public void Parse_EnvIsSequence_IsWrongTypeError()
    {
        var error = SingleError(Parse("on: push\nenv: [a, b]\n" + OneJob).Diagnostics);

        Assert.Equal(At(2, 6), error.Location);
        Assert.Equal("'env' must be a mapping, not a sequence", error.Message);
    }

    [Fact]
    public void Parse_NameIsMapping_IsWrongTypeError()
    {
        var error = SingleError(Parse("name: {a: 1}\non: push\n" + OneJob).Diagnostics);

        Assert.Equal(At(1, 7), error.Location);
        Assert.Equal("'name' must be a string, not a mapping", error.Message);
    }

    [Fact]
    public void Parse_PermissionsAsSequence_IsError() =>
        Assert.Equal("'permissions' must be 'read-all', 'write-all' or a mapping of scopes, not a sequence", SingleError(Parse("on: push\npermissions: [a]\n" + OneJob).Diagnostics).Message);

    [Fact]
    public void Parse_PermissionsAsString_IsAccepted() => Assert.Empty(Parse("on: push\npermissions: read-all\n" + OneJob).Diagnostics);

    [Fact]
    public void Parse_DefaultsWithUnknownKey_SuggestsTheClosest()
    {
        var error = SingleError(Parse("on: push\ndefaults:\n  run:\n    working_directory: x\n" + OneJob).Diagnostics);

        Assert.Equal(At(4, 5), error.Location);
        Assert.Equal("unknown key 'working_directory' in 'defaults.run'; did you mean 'working-directory'?", error.Message);
    }

    [Fact]
    public void Parse_CollectsEveryErrorInOnePass()
    {
        var (_, diagnostics) = Parse(
            """
            on: pushh
            envv: {}
            jobs:
              1bad:
                runs_on: x
                steps:
                  - run: a
                    timeout-minutes: ten
            """);

        Assert.Equal(
            [(1, 5), (2, 1), (4, 3), (4, 3), (5, 5), (8, 26)],
            diagnostics.Select(d => (d.Location!.Line, d.Location.Column)).Order());
    }
}
