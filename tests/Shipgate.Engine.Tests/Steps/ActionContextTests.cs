using Shipgate.Engine.Actions;
using Shipgate.Engine.Runs;
using Shipgate.Engine.Tests.Runs;

namespace Shipgate.Engine.Tests.Steps;

public sealed class ActionContextTests : IDisposable
{
    private readonly RunHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    /// <summary>A built-in action that writes what it sees of its job's environment to a file.</summary>
    private sealed class EnvironmentProbe(string file) : IBuiltinAction
    {
        public string Key => "test/probe";

        public Task<ActionResult> RunAsync(IActionContext context, CancellationToken cancellationToken = default)
        {
            File.AppendAllText(file, $"{context.EnvironmentName ?? "none"} {context.Variables.GetValueOrDefault("REGION", "-")} {context.Secrets.GetValueOrDefault("KEY", "-")}\n");
            return Task.FromResult(ActionResult.Success);
        }
    }

    [Fact]
    public async Task BuiltinAction_InAJobWithAnEnvironment_SeesItsNameVarsAndSecrets_AJobWithoutSeesNone()
    {
        var file = Path.Combine(_harness.Shared, "seen");
        var workflow = _harness.LoadWorkflow("""
            on: push
            jobs:
              deploy:
                runs-on: ubuntu-latest
                environment: ${{ 'prod' }}-eu
                steps:
                  - uses: test/probe@v1
              build:
                needs: deploy
                runs-on: ubuntu-latest
                steps:
                  - uses: test/probe@v1
            """);
        var gate = new FakeJobGate
        {
            Decide = (request, _) => Task.FromResult(request.Environment == "prod-eu"
                ? JobGateDecision.Pass(new Dictionary<string, string> { ["KEY"] = "s3cret" }, new Dictionary<string, string> { ["REGION"] = "eu-west" })
                : JobGateDecision.Fail("unexpected environment " + request.Environment)),
        };

        var result = await _harness.RunAsync(_harness.Request(workflow, gate), builtins: [new EnvironmentProbe(file)]);

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal(["prod-eu eu-west s3cret", "none - -"], File.ReadAllLines(file));
    }
}
