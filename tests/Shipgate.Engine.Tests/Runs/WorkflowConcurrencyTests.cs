using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Tests.Runs;

public sealed class WorkflowConcurrencyTests : IDisposable
{
    private readonly RunHarness _harness = new();

    [Fact]
    public async Task Evaluate_GroupFromGithubInputsDefaultAndVars_BeforeTheRunExists()
    {
        var workflow = _harness.LoadWorkflow("""
            name: deploy
            on:
              workflow_dispatch:
                inputs:
                  target:
                    default: staging
            concurrency:
              group: ${{ github.workflow }}-${{ inputs.target }}-${{ vars.REGION }}-${{ github.ref_name }}
              cancel-in-progress: ${{ inputs.target != 'production' }}
            jobs:
              a:
                runs-on: ubuntu-latest
                steps:
                  - run: true
            """);

        var group = await WorkflowConcurrency.EvaluateAsync(
            new RunRequest { Workflow = workflow, RepositoryDirectory = _harness.Repository, EventName = "workflow_dispatch", Ref = "refs/heads/main", Variables = new Dictionary<string, string> { ["REGION"] = "eu" } },
            TestContext.Current.CancellationToken).WaitAsync(RunHarness.Timeout, TestContext.Current.CancellationToken);

        Assert.Equal(new WorkflowConcurrencyGroup("deploy-staging-eu-main", true), group);
    }

    [Theory]
    [InlineData("${{ github.head_ref || github.run_id }}")]
    [InlineData("${{ fromJSON('{') }}")]
    public async Task Evaluate_EmptyOrFailingGroup_NoGroup(string expression)
    {
        var workflow = _harness.LoadWorkflow($"on: push\nconcurrency: \"{expression}\"\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: true\n");

        var group = await WorkflowConcurrency.EvaluateAsync(
            new RunRequest { Workflow = workflow, RepositoryDirectory = _harness.Repository, Ref = "refs/heads/main" },
            TestContext.Current.CancellationToken).WaitAsync(RunHarness.Timeout, TestContext.Current.CancellationToken);

        Assert.Null(group);
    }

    public void Dispose() => _harness.Dispose();
}
