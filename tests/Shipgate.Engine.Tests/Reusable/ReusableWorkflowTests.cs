using Shipgate.Engine.Runs;
using Shipgate.Engine.Tests.Runs;

namespace Shipgate.Engine.Tests.Reusable;

public sealed class ReusableWorkflowTests : IDisposable
{
    private readonly RunHarness _harness = new();

    private string Shared => _harness.Shared;

    public void Dispose() => _harness.Dispose();

    private void WriteCallee() => _harness.WriteRepositoryFile(".github/workflows/deploy.yml", $$$"""
        on:
          workflow_call:
            inputs:
              environment:
                type: string
                required: true
              replicas:
                type: number
                default: 2
            secrets:
              DEPLOY_KEY:
                required: true
            outputs:
              url:
                value: ${{ jobs.release.outputs.url }}
        jobs:
          release:
            runs-on: ubuntu-latest
            outputs:
              url: ${{ steps.out.outputs.url }}
            steps:
              - id: out
                run: |
                  echo "${{ inputs.environment }} ${{ inputs.replicas }} ${{ github.event_name }} $KEY" > {{{Shared}}}/callee
                  echo "url=https://${{ inputs.environment }}.example" >> "$GITHUB_OUTPUT"
                env:
                  KEY: ${{ secrets.DEPLOY_KEY }}
          verify:
            needs: release
            runs-on: ubuntu-latest
            steps:
              - run: echo verified > {{{Shared}}}/verify
        """);

    private RunRequest WithSecret(Core.Workflows.WorkflowDefinition workflow, bool inherit) => new()
    {
        Workflow = workflow,
        RepositoryDirectory = _harness.Repository,
        DataDirectory = _harness.Data,
        Secrets = new Dictionary<string, string> { [inherit ? "DEPLOY_KEY" : "KEY"] = "k-9876543" },
    };

    [Fact]
    public async Task Reusable_InputsSecretsOutputsAndJobNames()
    {
        WriteCallee();
        var workflow = _harness.LoadWorkflow($$$"""
            on: push
            jobs:
              deploy:
                name: Deploy
                uses: ./.github/workflows/deploy.yml
                with:
                  environment: staging
                secrets:
                  DEPLOY_KEY: ${{ secrets.KEY }}
              after:
                needs: deploy
                runs-on: ubuntu-latest
                steps:
                  - run: echo "${{ needs.deploy.outputs.url }} ${{ needs.deploy.result }}" > {{{Shared}}}/after
            """);

        var result = await _harness.RunAsync(WithSecret(workflow, inherit: false));

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal("staging 2 push k-9876543\n", _harness.ReadShared("callee"));
        Assert.Equal("verified\n", _harness.ReadShared("verify"));
        Assert.Equal("https://staging.example success\n", _harness.ReadShared("after"));
        Assert.Contains(result.Jobs, j => j.Name == "Deploy / release" && j.Key == "deploy/release");
        Assert.Contains(result.Jobs, j => j.Name == "Deploy / verify");
        Assert.Equal("https://staging.example", RunEngineTests.Single(result, "deploy").Outputs["url"]);
    }

    [Fact]
    public async Task Reusable_SecretsInheritAndMatrixLegs()
    {
        WriteCallee();
        var workflow = _harness.LoadWorkflow("""
            on: push
            jobs:
              deploy:
                strategy:
                  matrix:
                    environment: [staging, production]
                  max-parallel: 1
                uses: ./.github/workflows/deploy.yml
                with:
                  environment: ${{ matrix.environment }}
                  replicas: 5
                secrets: inherit
            """);

        var result = await _harness.RunAsync(WithSecret(workflow, inherit: true));

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Contains(result.Jobs, j => j.Name == "deploy (staging) / release" && j.Key == "deploy[0]/release");
        Assert.Contains(result.Jobs, j => j.Name == "deploy (production) / release");
        Assert.Equal("production 5 push k-9876543\n", _harness.ReadShared("callee"));
        Assert.All(result.Jobs.SelectMany(j => j.Steps).Where(s => s.LogPath is not null), s => Assert.DoesNotContain("k-9876543", File.ReadAllText(s.LogPath!)));
    }

    [Fact]
    public async Task Reusable_MissingRequiredSecret_FailsTheCallingJob()
    {
        WriteCallee();
        var workflow = _harness.LoadWorkflow("""
            on: push
            jobs:
              deploy:
                uses: ./.github/workflows/deploy.yml
                with:
                  environment: staging
            """);

        var result = await _harness.RunAsync(_harness.Request(workflow));

        Assert.Equal(Conclusion.Failure, result.Conclusion);
        Assert.Contains("secret 'DEPLOY_KEY' is required", RunEngineTests.Single(result, "deploy").Reason);
    }

    [Fact]
    public async Task Reusable_FailingCalleeJob_FailsTheCallerAndSkipsItsDependents()
    {
        _harness.WriteRepositoryFile(".github/workflows/broken.yml", """
            on: workflow_call
            jobs:
              inner:
                runs-on: ubuntu-latest
                steps:
                  - run: exit 1
            """);
        var workflow = _harness.LoadWorkflow($$$"""
            on: push
            jobs:
              call:
                uses: ./.github/workflows/broken.yml
              next:
                needs: call
                runs-on: ubuntu-latest
                steps:
                  - run: touch {{{Shared}}}/next
            """);

        var result = await _harness.RunAsync(_harness.Request(workflow));

        Assert.Equal(Conclusion.Failure, RunEngineTests.Single(result, "call").Conclusion);
        Assert.Equal(Conclusion.Skipped, RunEngineTests.Single(result, "next").Conclusion);
        Assert.False(File.Exists(Path.Combine(Shared, "next")));
    }
}
