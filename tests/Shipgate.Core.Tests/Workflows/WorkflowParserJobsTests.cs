using Shipgate.Core.Workflows;
using static Shipgate.Core.Tests.Workflows.TestWorkflows;

namespace Shipgate.Core.Tests.Workflows;

public sealed class WorkflowParserJobsTests
{
    private const string Steps = "    steps:\n      - run: echo hi\n";

    private static JobDefinition SingleJob(string yaml)
    {
        var (workflow, diagnostics) = Parse(Header + yaml);
        Assert.Empty(diagnostics);
        return Assert.Single(workflow!.Jobs);
    }

    [Fact]
    public void Parse_JobWithEveryKey_ReadsThemAll()
    {
        var job = SingleJob(
            """
              deploy:
                name: Deploy ${{ matrix.os }}
                needs: [build, test]
                if: github.ref == 'refs/heads/main'
                runs-on: [self-hosted, linux]
                permissions: write-all
                env:
                  STAGE: prod
                defaults:
                  run:
                    shell: sh
                outputs:
                  url: ${{ steps.deploy.outputs.url }}
                environment:
                  name: production
                  url: https://example.com
                concurrency:
                  group: deploy
                  cancel-in-progress: false
                timeout-minutes: 30
                continue-on-error: ${{ matrix.experimental }}
                strategy:
                  fail-fast: false
                  max-parallel: 2
                  matrix:
                    os: [linux]
                    experimental: [false]
                    include:
                      - os: linux
                        extra: yes
                container: node:20
                services:
                  db:
                    image: postgres
                steps:
                  - id: deploy
                    run: ./deploy.sh
            """);

        Assert.Equal("deploy", job.Id);
        Assert.Equal(At(3, 3), job.Location);
        Assert.Equal("Deploy ${{ matrix.os }}", job.Name!.Value);
        Assert.Equal(["build", "test"], job.Needs);
        Assert.Equal([At(5, 13), At(5, 20)], job.NeedsTokens.Select(n => n.Location));
        Assert.Equal("github.ref == 'refs/heads/main'", job.If!.Value);
        Assert.IsType<SequenceToken>(job.RunsOn);
        Assert.Equal("STAGE", job.Env.Single().Key);
        Assert.Equal("sh", job.Defaults!.Shell!.Value);
        Assert.Equal("url", job.Outputs.Single().Key);
        Assert.Equal("production", job.Environment!.Name.Value);
        Assert.Equal("https://example.com", job.Environment.Url!.Value);
        Assert.Equal("deploy", job.Concurrency!.Group.Value);
        Assert.Equal("30", job.TimeoutMinutes!.Value);
        Assert.True(job.ContinueOnError!.HasExpression);
        Assert.Equal("false", job.Strategy!.FailFast!.Value);
        Assert.Equal("2", job.Strategy.MaxParallel!.Value);
        Assert.IsType<MappingToken>(job.Strategy.Matrix);
        Assert.Equal(At(33, 5), job.Container);
        Assert.Equal(At(34, 5), job.Services);
        Assert.Equal("deploy", job.Steps.Single().Id);
    }

    [Fact]
    public void Parse_NeedsAsString_IsOneNeed() => Assert.Equal(["build"], SingleJob("  deploy:\n    needs: build\n    runs-on: x\n" + Steps).Needs);

    [Fact]
    public void Parse_NeedsWithExpression_IsError()
    {
        var error = SingleError(Parse(Header + "  a:\n    needs: ${{ x }}\n    runs-on: x\n" + Steps).Diagnostics);

        Assert.Equal(At(4, 12), error.Location);
        Assert.Equal("'jobs.a.needs' cannot contain an expression", error.Message);
    }

    [Fact]
    public void Parse_NeedsIsMapping_IsWrongTypeError() =>
        Assert.Equal(
            "'jobs.a.needs' must be a string or a sequence of strings, not a mapping",
            SingleError(Parse(Header + "  a:\n    needs: {b: 1}\n    runs-on: x\n" + Steps).Diagnostics).Message);

    [Theory]
    [InlineData("1build")]
    [InlineData("-build")]
    [InlineData("build.all")]
    [InlineData("build all")]
    public void Parse_InvalidJobId_IsErrorAtTheId(string id)
    {
        var error = SingleError(Parse(Header + $"  '{id}':\n    runs-on: x\n" + Steps).Diagnostics);

        Assert.Equal(At(3, 3), error.Location);
        Assert.Equal($"job id '{id}' is invalid: it must start with a letter or '_' and contain only letters, digits, '-' and '_'", error.Message);
    }

    [Theory]
    [InlineData("build")]
    [InlineData("_private")]
    [InlineData("Build-2_x")]
    public void Parse_ValidJobId_IsAccepted(string id) => Assert.Equal(id, SingleJob($"  {id}:\n    runs-on: x\n" + Steps).Id);

    [Fact]
    public void Parse_EmptyJob_IsOneError()
    {
        var (workflow, diagnostics) = Parse(Header + "  build:\n    # nothing yet\n");

        var error = SingleError(diagnostics);
        Assert.Equal(At(3, 3), error.Location);
        Assert.Equal("job 'build' is empty; give it 'runs-on' and 'steps', or 'uses' to call a reusable workflow", error.Message);
        Assert.Equal("build", workflow!.Jobs.Single().Id);
    }

    [Fact]
    public void Parse_JobWithoutRunsOnAndSteps_ReportsBoth()
    {
        var (_, diagnostics) = Parse(Header + "  build:\n    name: b\n");

        Assert.Equal(
            ["job 'build' has no 'steps' (or 'uses' to call a reusable workflow)", "job 'build' has no 'runs-on'"],
            diagnostics.Select(d => d.Message));
        Assert.All(diagnostics, d => Assert.Equal(At(3, 3), d.Location));
    }

    [Fact]
    public void Parse_EmptyJobs_IsError() =>
        Assert.Equal("'jobs' must define at least one job", SingleError(Parse("on: push\njobs: {}\n").Diagnostics).Message);

    [Fact]
    public void Parse_UnknownJobKey_SuggestsTheClosest()
    {
        var error = SingleError(Parse(Header + "  build:\n    runs-on: x\n    needz: a\n" + Steps).Diagnostics);

        Assert.Equal(At(5, 5), error.Location);
        Assert.Equal("unknown key 'needz' in 'jobs.build'; did you mean 'needs'?", error.Message);
    }

    [Fact]
    public void Parse_RunsOnWithUnderscore_SuggestsRunsOn()
    {
        var (_, diagnostics) = Parse(Header + "  build:\n    runs_on: x\n" + Steps);

        Assert.Contains("unknown key 'runs_on' in 'jobs.build'; did you mean 'runs-on'?", diagnostics.Select(d => d.Message));
    }

    [Fact]
    public void Parse_TimeoutNotANumber_IsError()
    {
        var error = SingleError(Parse(Header + "  build:\n    runs-on: x\n    timeout-minutes: soon\n" + Steps).Diagnostics);

        Assert.Equal(At(5, 22), error.Location);
        Assert.Equal("'jobs.build.timeout-minutes' must be a number or an expression, not 'soon'", error.Message);
    }

    [Fact]
    public void Parse_TimeoutQuotedNumber_IsError() =>
        Assert.Equal(
            "'jobs.build.timeout-minutes' must be a number or an expression, not '10'",
            SingleError(Parse(Header + "  build:\n    runs-on: x\n    timeout-minutes: '10'\n" + Steps).Diagnostics).Message);

    [Fact]
    public void Parse_TimeoutExpression_IsAccepted() =>
        Assert.True(SingleJob("  build:\n    runs-on: x\n    timeout-minutes: ${{ inputs.minutes }}\n" + Steps).TimeoutMinutes!.HasExpression);

    [Fact]
    public void Parse_ContinueOnErrorNotBoolean_IsError() =>
        Assert.Equal(
            "'jobs.build.continue-on-error' must be true, false or an expression, not 'sometimes'",
            SingleError(Parse(Header + "  build:\n    runs-on: x\n    continue-on-error: sometimes\n" + Steps).Diagnostics).Message);

    [Fact]
    public void Parse_EnvironmentAsString_IsTheName() =>
        Assert.Equal("staging", SingleJob("  build:\n    runs-on: x\n    environment: staging\n" + Steps).Environment!.Name.Value);

    [Fact]
    public void Parse_EnvironmentWithoutName_IsError() =>
        Assert.Equal(
            "'jobs.build.environment' needs a 'name'",
            SingleError(Parse(Header + "  build:\n    runs-on: x\n    environment:\n      url: https://x\n" + Steps).Diagnostics).Message);

    [Fact]
    public void Parse_RunsOnGroupAndLabels_IsAccepted() =>
        Assert.IsType<MappingToken>(SingleJob("  build:\n    runs-on:\n      group: big\n      labels: [linux]\n" + Steps).RunsOn);

    [Fact]
    public void Parse_RunsOnEmptyList_IsError() =>
        Assert.Equal("'jobs.build.runs-on' must name at least one label", SingleError(Parse(Header + "  build:\n    runs-on: []\n" + Steps).Diagnostics).Message);

    [Fact]
    public void Parse_MatrixAsExpression_IsKept()
    {
        var job = SingleJob("  build:\n    runs-on: x\n    strategy:\n      matrix: ${{ fromJSON(needs.a.outputs.m) }}\n" + Steps);

        Assert.True(Assert.IsType<ScalarToken>(job.Strategy!.Matrix).HasExpression);
    }

    [Fact]
    public void Parse_MatrixVectorNotASequence_IsError()
    {
        var error = SingleError(Parse(Header + "  build:\n    runs-on: x\n    strategy:\n      matrix:\n        os: linux\n" + Steps).Diagnostics);

        Assert.Equal(At(7, 13), error.Location);
        Assert.Equal("'jobs.build.strategy.matrix.os' must be a sequence or an expression, not a string", error.Message);
    }

    [Fact]
    public void Parse_MatrixIncludeEntryNotAMapping_IsError() =>
        Assert.Equal(
            "each entry of 'jobs.build.strategy.matrix.include' must be a mapping, not a string",
            SingleError(Parse(Header + "  build:\n    runs-on: x\n    strategy:\n      matrix:\n        include: [linux]\n" + Steps).Diagnostics).Message);

    [Fact]
    public void Parse_MatrixAsString_IsError() =>
        Assert.Equal(
            "'jobs.build.strategy.matrix' must be a mapping of vectors or an expression, not a string",
            SingleError(Parse(Header + "  build:\n    runs-on: x\n    strategy:\n      matrix: linux\n" + Steps).Diagnostics).Message);

    [Fact]
    public void Parse_MaxParallelNotANumber_IsError() =>
        Assert.Equal(
            "'jobs.build.strategy.max-parallel' must be a number or an expression, not 'all'",
            SingleError(Parse(Header + "  build:\n    runs-on: x\n    strategy:\n      max-parallel: all\n" + Steps).Diagnostics).Message);

    [Fact]
    public void Parse_ReusableWorkflowJob_ReadsUsesWithAndSecrets()
    {
        var job = SingleJob("  call:\n    uses: ./.github/workflows/deploy.yml\n    with:\n      stage: prod\n    secrets: inherit\n");

        Assert.Equal("./.github/workflows/deploy.yml", job.Uses!.Value);
        Assert.Equal("prod", ((ScalarToken)job.With!["stage"]!).Value);
        Assert.True(job.SecretsInherit);
        Assert.Empty(job.Steps);
    }

    [Fact]
    public void Parse_ReusableWorkflowJobWithSecretsMapping_ReadsThem()
    {
        var job = SingleJob("  call:\n    uses: octo/repo/.github/workflows/x.yml@v1\n    secrets:\n      token: ${{ secrets.T }}\n");

        Assert.False(job.SecretsInherit);
        Assert.Equal("token", job.Secrets.Single().Key);
    }

    [Fact]
    public void Parse_ReusableWorkflowJobWithSteps_IsError()
    {
        var (_, diagnostics) = Parse(Header + "  call:\n    uses: ./.github/workflows/x.yml\n    runs-on: x\n" + Steps);

        Assert.Equal(
            ["'runs-on' cannot be used in a job that calls a reusable workflow ('uses')", "'steps' cannot be used in a job that calls a reusable workflow ('uses')"],
            diagnostics.Select(d => d.Message));
        Assert.Equal(At(5, 5), diagnostics[0].Location);
    }

    [Fact]
    public void Parse_WithWithoutUses_IsError()
    {
        var error = SingleError(Parse(Header + "  build:\n    runs-on: x\n    with:\n      a: 1\n" + Steps).Diagnostics);

        Assert.Equal(At(5, 5), error.Location);
        Assert.Equal("'with' can only be used in a job that calls a reusable workflow ('uses')", error.Message);
    }

    [Fact]
    public void Parse_BadReusableWorkflowReference_IsError() =>
        Assert.StartsWith(
            "'jobs.call.uses' must name a workflow file",
            SingleError(Parse(Header + "  call:\n    uses: octo/repo@v1\n").Diagnostics).Message);

    [Fact]
    public void Parse_SecretsNotInheritOrMapping_IsError() =>
        Assert.Equal(
            "'jobs.call.secrets' must be 'inherit' or a mapping of secrets, not 'all'",
            SingleError(Parse(Header + "  call:\n    uses: ./.github/workflows/x.yml\n    secrets: all\n").Diagnostics).Message);
}
