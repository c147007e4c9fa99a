using System.Globalization;
using System.Text.Json;
using Shipgate.Delivery.Analysis;
using Shipgate.Server.Api;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Deployments;

/// <summary>
/// A canary's <c>command</c> metric against the real <c>shipgate up</c> (as root here and on CI, so steps run in the
/// job's sandbox as the runner user) and its edge: the command, written in the commit being deployed, runs as a step
/// of the deploying job would, and decides by its exit code. v1 is deployed; v2 goes through a canary whose analysis
/// step runs the command.
/// </summary>
public sealed class CanaryAnalysisCommandTests : IAsyncLifetime
{
    // The deploying job passes the environment's secret to its steps, as a job would to a check that needs it.
    private const string Workflow = """
        on: workflow_dispatch
        jobs:
          deploy:
            runs-on: ubuntu-latest
            environment: production
            env:
              DEPLOY_KEY: ${{ secrets.DEPLOY_KEY }}
            steps:
              - uses: actions/checkout@v4
              - uses: actions/upload-artifact@v4
                with: { name: app, path: app }
              - uses: shipgate/deploy@v1
                with: { service: web, artifact: app }
        """;

    private readonly TestRepository _repository = new();
    private readonly string _secret = "k3y-" + Guid.NewGuid().ToString("N");
    private ShipgateUp _up = null!;

    public async ValueTask InitializeAsync()
    {
        _up = await ShipgateUp.StartAsync();
        _repository.Write("app/app.py", CanaryDeploymentTests.Service);
        _repository.Write(".github/workflows/deploy.yml", Workflow);
    }

    public async ValueTask DisposeAsync()
    {
        await _up.DisposeAsync();
        _repository.Dispose();
    }

    [Fact]
    public async Task AnalysisCommand_ExitsOnePrintingASecret_RolledBackWithItsLastLineMaskedAndCut()
    {
        var (run, deployment) = await DeployCanaryAsync("""
            run: 'echo "5 of 40 orders failed, checked with $DEPLOY_KEY"; echo "$DEPLOY_KEY $(printf %0300d 0)"; echo; exit 1'
            """);
        var cut = ("*** " + new string('0', 300))[..199] + "…";

        await _up.ExpectRunAsync(run, "failure");
        var rolledBack = await DeploymentAsync(deployment);
        var logs = await _up.RunAsync(["logs", run]);
        Assert.True(rolledBack.Status == "rolled-back", $"{rolledBack.Status}: {rolledBack.Reason}");
        Assert.Equal("The analysis failed: command: the command exited 1; its last output: " + cut, rolledBack.Reason);
        var failed = Assert.Single(rolledBack.Decisions, d => d.Outcome == AnalysisOutcome.Failed);
        Assert.Equal(1, failed.Measurements.Single(m => m.Metric == "command").Values["exit-code"]);
        Assert.Contains("5 of 40 orders failed, checked with ***", logs.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(_secret, JsonSerializer.Serialize(rolledBack, ApiJsonContext.Default.DeploymentResponse), StringComparison.Ordinal);
        Assert.DoesNotContain(_secret, logs.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnalysisCommand_ReadsTheServersKeysAndWritesOutsideTheWorkspace_IsRefusedAndTheCanaryGoesOn()
    {
        var data = _up.DataDirectory;
        var planted = Path.Combine(data, "planted-by-analysis");
        const string Usr = "/usr/local/planted-by-analysis";
        // Exits 0 only when the sandbox refused all of it: a read or a write that worked fails the canary.
        var (run, deployment) = await DeployCanaryAsync($$"""
            run: |
              for f in "{{data}}/shipgate.db" "{{data}}/secret.key" "{{data}}/audit.key" "{{data}}/admin.token"; do
                if cat "$f" > /dev/null 2>&1; then echo "read $f"; exit 1; fi
              done
              for f in "{{planted}}" "{{Usr}}"; do
                if (echo planted > "$f") 2> /dev/null; then echo "wrote $f"; exit 1; fi
              done
              test -f app/app.py
              echo "refused as $(id -un) in $PWD"
            """);

        await _up.ExpectRunAsync(run, "success");
        var succeeded = await DeploymentAsync(deployment);
        var logs = await _up.RunAsync(["logs", run]);
        Assert.Equal("succeeded", succeeded.Status);
        var passed = Assert.Single(succeeded.Decisions, d => d.Outcome == AnalysisOutcome.Passed);
        Assert.Equal("the command exited 0", passed.Measurements.Single(m => m.Metric == "command").Summary);
        Assert.Matches(@"refused as shipgate-runner in \S+/jobs/deploy/workspace", logs.Stdout);
        Assert.False(File.Exists(planted), planted);
        Assert.False(File.Exists(Usr), Usr);
    }

    [Fact]
    public async Task AnalysisCommand_SleepsPastItsTimeout_IsKilledWithItsChildrenAndCountsInconclusive()
    {
        var marker = "SHIPGATE_TEST_ANALYSIS_" + Guid.NewGuid().ToString("N");
        // A step of ten minutes, so that the job (and its sandbox) outlives the command's timeout: only the timeout kills it.
        var (run, deployment) = await DeployCanaryAsync(
            $"""
            run: env {marker}=1 sh -c 'sleep 600 & sleep 600'
            timeout: 1s
            """,
            duration: "10m");

        var sleepers = await EventuallyAsync(() => Task.FromResult(HostProcesses.With(marker) is { Count: >= 2 } pids ? pids : null), "the command's processes to run");
        await EventuallyAsync(() => Task.FromResult(sleepers.All(pid => !HostProcesses.IsAlive(pid)) ? "gone" : null), $"the command's processes {string.Join(", ", sleepers)} to be gone");
        var looked = await EventuallyAsync(
            async () => (await DeploymentAsync(deployment)).Progress?.LastDecision?.Measurements.FirstOrDefault(m => m.Metric == "command" && m.Outcome == AnalysisOutcome.Inconclusive),
            "a look that read the command as inconclusive");
        var during = await DeploymentAsync(deployment);
        var abort = await _up.RunAsync(["abort", deployment]);

        Assert.Equal("progressing", during.Status);
        Assert.Equal("the command did not end within 1s", looked.Summary);
        Assert.False(looked.Values.ContainsKey("exit-code"));
        Assert.True(abort.ExitCode == 0, abort.ToString());
        await _up.ExpectRunAsync(run, "failure");
    }

    /// <summary>
    /// Deploys v1 (a first deployment: no canary), then v2 through a canary of 50% and an analysis step of
    /// <paramref name="duration"/> judged by the command alone; returns v2's run and deployment once it is under way.
    /// </summary>
    private async Task<(string Run, string Deployment)> DeployCanaryAsync(string command, string duration = "1s")
    {
        // The command's keys under "- command:" in the list of metrics below (an interpolated line keeps no indentation).
        var metric = "                - command:\n" + string.Join("\n", command.Split('\n').Select(line => "                    " + line));
        _repository.Write("shipgate.yml", $"""
            services:
              web:
                run: python3 app.py
                instances: 1
                health-interval: 200ms
                drain-timeout: 1s
            environments:
              production:
                mode: deployment
                watch: 0s
                strategy:
                  canary:
                    steps:
                      - weight: 50
                      - analysis:
                          duration: {duration}
                          min-requests: 0
                          on-inconclusive: fail
                          metrics:
            {metric}
                      - weight: 100
            """);
        _repository.Commit("v1");
        var added = await _up.RunAsync(["project", "add", "web", "--repo", _repository.Root]);
        var secret = await _up.RunAsync(["secret", "set", "DEPLOY_KEY", "--project", "web", "--env", "production"], standardInput: _secret + "\n");
        Assert.True(added.ExitCode == 0 && secret.ExitCode == 0, $"{added}\n{secret}");
        await _up.ExpectRunAsync(await _up.DispatchAgainAsync(), "success");

        _repository.Write("app/VERSION", "2\n");
        var v2 = _repository.Commit("v2")[..7];
        var run = await _up.DispatchAgainAsync();
        var deployment = await EventuallyAsync(
            async () => (await _up.JsonAsync(["deployments", "web"], ApiJsonContext.Default.DeploymentResponseArray)).FirstOrDefault(d => d.Version == v2),
            "v2's deployment to be recorded");
        return (run, deployment.Id.ToString(CultureInfo.InvariantCulture));
    }

    private async Task<DeploymentResponse> DeploymentAsync(string id) =>
        Assert.Single(await _up.JsonAsync(["rollout", "status", id], ApiJsonContext.Default.DeploymentResponseArray));
}
