using Shipgate.Engine.Actions;
using Shipgate.Engine.Runs;
using Shipgate.Engine.Tests.Runs;

namespace Shipgate.Engine.Tests.Steps;

public sealed class PostStepTests : IDisposable
{
    private readonly RunHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    /// <summary>A built-in action that records its main and post steps in a file.</summary>
    private sealed class RecordingAction(string key, string file) : IBuiltinAction
    {
        public string Key => key;

        public Task<ActionResult> RunAsync(IActionContext context, CancellationToken cancellationToken = default)
        {
            File.AppendAllText(file, $"main {key} {context.GetInput("tag", "none")}\n");
            context.SaveState("tag", context.GetInput("tag", "none"));
            context.SetOutput("seen", key);
            context.Log("secret is " + context.Environment["TOKEN"]);
            return Task.FromResult(ActionResult.Success);
        }

        public Task<ActionResult> PostAsync(IActionContext context, CancellationToken cancellationToken = default)
        {
            File.AppendAllText(file, $"post {key} {context.GetState("tag")}\n");
            return Task.FromResult(ActionResult.Success);
        }

        public bool HasPost(IActionContext context) => true;
    }

    [Fact]
    public async Task PostSteps_RunAfterTheJobInReverseOrderEvenAfterAFailure()
    {
        var file = Path.Combine(_harness.Shared, "order");
        var workflow = _harness.LoadWorkflow($$$"""
            on: push
            env:
              TOKEN: ${{ secrets.TOKEN }}
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - uses: test/one@v1
                    with:
                      tag: a
                  - id: two
                    uses: test/two@v2
                  - run: echo "step ${{ steps.two.outputs.seen }}" >> {{{file}}}; exit 1
                  - uses: test/three@v1
            """);
        var result = await _harness.RunAsync(
            new RunRequest { Workflow = workflow, RepositoryDirectory = _harness.Repository, DataDirectory = _harness.Data, Secrets = new Dictionary<string, string> { ["TOKEN"] = "tok-123456" } },
            builtins: [new RecordingAction("test/one", file), new RecordingAction("test/two", file), new RecordingAction("test/three", file)]);

        Assert.Equal(["main test/one a", "main test/two none", "step test/two", "post test/two none", "post test/one a"], File.ReadAllLines(file));
        var steps = RunEngineTests.Single(result, "build").Steps;
        Assert.Equal(["Post Run test/two@v2", "Post Run test/one@v1"], steps.Skip(4).Select(s => s.Name));
        Assert.DoesNotContain("tok-123456", File.ReadAllText(steps[0].LogPath!));
        Assert.Contains("secret is ***", File.ReadAllText(steps[0].LogPath!));
    }

    private sealed class ThrowingAction : IBuiltinAction
    {
        public string Key => "test/throws";

        public Task<ActionResult> RunAsync(IActionContext context, CancellationToken cancellationToken = default) =>
            throw new IOException("disk on fire");
    }

    [Fact]
    public async Task BuiltinAction_ThatThrows_FailsItsStepNotTheEngine()
    {
        var workflow = _harness.LoadWorkflow($$$"""
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - uses: test/throws@v1
                  - if: always()
                    run: touch {{{_harness.Shared}}}/after
            """);

        var result = await _harness.RunAsync(_harness.Request(workflow), builtins: [new ThrowingAction()]);

        var step = RunEngineTests.Single(result, "build").Steps[0];
        Assert.Equal(Conclusion.Failure, step.Conclusion);
        Assert.Equal("test/throws failed unexpectedly: disk on fire", step.Reason);
        Assert.True(File.Exists(Path.Combine(_harness.Shared, "after")));
    }
}
