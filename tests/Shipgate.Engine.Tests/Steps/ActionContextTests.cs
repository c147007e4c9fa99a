using System.Globalization;
using Shipgate.Engine.Actions;
using Shipgate.Engine.Processes;
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

    /// <summary>A built-in action that runs <paramref name="script"/> through its context and keeps what came back.</summary>
    private sealed class ScriptProbe(string script, TimeSpan timeout) : IBuiltinAction
    {
        public string Key => "test/script";

        public ProcessResult? Result { get; private set; }

        public List<string> Lines { get; } = [];

        public string Workspace { get; private set; } = "";

        /// <summary>Called as soon as the script's run returned, while the job (and its process tracker) goes on.</summary>
        public Action After { get; init; } = static () => { };

        public async Task<ActionResult> RunAsync(IActionContext context, CancellationToken cancellationToken = default)
        {
            Workspace = context.Workspace;
            Result = await context.RunScriptAsync(script, timeout, new Dictionary<string, string> { ["EXTRA"] = "given" }, Lines.Add, cancellationToken);
            After();
            return ActionResult.Success;
        }
    }

    [Fact]
    public async Task RunScriptAsync_ScriptPrintsASecret_RunsInTheWorkspaceWithBashDashE_AndHandsBackMaskedLines()
    {
        var probe = new ScriptProbe("echo \"in $PWD with $EXTRA and $KEY_ENV\"\nfalse\necho not reached", TimeSpan.FromSeconds(30));
        var workflow = _harness.LoadWorkflow("""
            on: push
            jobs:
              deploy:
                runs-on: ubuntu-latest
                environment: prod
                env:
                  KEY_ENV: ${{ secrets.KEY }}
                steps:
                  - uses: test/script@v1
            """);
        var gate = new FakeJobGate
        {
            Decide = (_, _) => Task.FromResult(JobGateDecision.Pass(new Dictionary<string, string> { ["KEY"] = "s3cret-value" }, new Dictionary<string, string>())),
        };

        var result = await _harness.RunAsync(_harness.Request(workflow, gate), builtins: [probe]);

        Assert.Equal(Conclusion.Success, result.Conclusion);
        Assert.Equal((ProcessOutcome.Exited, 1), (probe.Result!.Outcome, probe.Result.ExitCode));
        Assert.Equal([$"in {probe.Workspace} with given and ***"], probe.Lines);
        var logged = _harness.Observer.OfType<StepOutputEvent>().Select(e => e.Line).ToList();
        Assert.Contains($"in {probe.Workspace} with given and ***", logged);
        Assert.DoesNotContain(logged, l => l.Contains("s3cret-value", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunScriptAsync_PastItsTimeout_KillsTheWholeTreeAndReportsTimedOut()
    {
        var child = Path.Combine(_harness.Shared, "child.pid");
        bool? childAlive = null;
        var probe = new ScriptProbe($"sleep 600 &\necho $! > '{child}'\nsleep 600", TimeSpan.FromSeconds(1))
        {
            After = () => childAlive = ProcessTable.IsAlive(int.Parse(File.ReadAllText(child).Trim(), CultureInfo.InvariantCulture)),
        };
        var workflow = _harness.LoadWorkflow("""
            on: push
            jobs:
              check:
                runs-on: ubuntu-latest
                steps:
                  - uses: test/script@v1
            """);

        await _harness.RunAsync(_harness.Request(workflow), builtins: [probe]);

        Assert.Equal(ProcessOutcome.TimedOut, probe.Result!.Outcome);
        Assert.False(childAlive, "the background sleep outlived the timeout");
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
