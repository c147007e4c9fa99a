using Shipgate.Core.Workflows;
using Shipgate.Engine.Actions;
using Shipgate.Engine.Runs;
using Shipgate.Engine.Tests.Runs;

namespace Shipgate.Engine.Tests.Actions;

/// <summary>The built-in actions inside real runs of the engine: a workflow that builds once and deploys the same artifact.</summary>
public sealed class BuiltinActionsRunTests : IDisposable
{
    private const string Workflow = """
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            outputs:
              digest: ${{ steps.upload.outputs.artifact-digest }}
            steps:
              - uses: actions/checkout@v4
              - uses: actions/cache@v4
                id: cache
                with:
                  path: .deps
                  key: deps-${{ hashFiles('app.txt') }}
              - run: |
                  echo "hit=${{ steps.cache.outputs.cache-hit }}" >> "$SHARED/cache-hits"
                  mkdir -p .deps dist && echo dep > .deps/x && cp app.txt dist/
                env:
                  SHARED: __SHARED__
              - uses: actions/upload-artifact@v4
                id: upload
                with:
                  name: web
                  path: dist
          deploy:
            needs: build
            runs-on: ubuntu-latest
            steps:
              - uses: actions/download-artifact@v4
                with:
                  name: web
                  path: release
              - uses: actions/setup-python@v5
                with:
                  python-version: 3.x
              - run: python -c "print(open('release/app.txt').read().strip())" > "$SHARED/deployed"
                env:
                  SHARED: __SHARED__
        """;

    private readonly RunHarness _harness = new();
    private readonly GitRepository _repository;

    public BuiltinActionsRunTests()
    {
        _repository = new GitRepository(_harness.Repository);
        _repository.Commit("app", ("app.txt", "v1"));
    }

    public void Dispose() => _harness.Dispose();

    private async Task<RunResult> RunAsync()
    {
        var loaded = WorkflowLoader.LoadText(Workflow.Replace("__SHARED__", _harness.Shared, StringComparison.Ordinal), ".github/workflows/cd.yml");
        Assert.False(loaded.HasErrors, string.Join("\n", loaded.Errors));
        return await _harness.RunAsync(_harness.Request(loaded.Workflow!), builtins: BuiltinActions.CreateDefault().Values);
    }

    [Fact]
    public async Task Run_BuildOnceDeployTheSameDigest_AndTheSecondRunHitsTheCache()
    {
        var first = await RunAsync();
        var second = await RunAsync();

        Assert.True(first.Conclusion == Conclusion.Success, Describe(first));
        Assert.True(second.Conclusion == Conclusion.Success, Describe(second));
        Assert.Equal("v1", _harness.ReadShared("deployed").Trim());
        var artifact = Assert.Single(first.Artifacts);
        Assert.Equal("web", artifact.Name);
        Assert.StartsWith("sha256:", artifact.Digest, StringComparison.Ordinal);
        Assert.Equal(artifact.Digest, Assert.Single(second.Artifacts).Digest);
        Assert.Equal(artifact.Digest, first.JobsWithId("build").Single().Outputs["digest"]);
        Assert.Equal(["hit=false", "hit=true"], _harness.ReadShared("cache-hits").Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static string Describe(RunResult result) => string.Join(
        "; ",
        result.Jobs.SelectMany(j => j.Steps.Select(s => $"{j.JobId}/{s.Name}: {s.Conclusion} {s.Reason}")).Prepend(result.Reason ?? ""));
}
