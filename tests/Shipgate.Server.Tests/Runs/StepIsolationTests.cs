using System.Globalization;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Server.Tests.Runs;

/// <summary>
/// A developer's workflow against the real <c>shipgate up</c> (started as root here and on CI): its steps run in the
/// job's sandbox, as the runner user, and cannot reach what would make them the server.
/// </summary>
public sealed class StepIsolationTests : IAsyncLifetime
{
    private const string Attack = """
        on:
          workflow_dispatch:
            inputs:
              data:
                required: true
              other:
                required: true
        jobs:
          attack:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  for f in "$DATA/admin.token" "$DATA/secret.key" "$DATA/shipgate.db" "$OTHER/planted.txt"; do
                    if cat "$f"; then echo "read $f"; exit 1; fi
                    echo "refused $f"
                  done
                  ls "$DATA"
                  echo "db=${SHIPGATE_DB:-unset} pg=${PGPASSWORD:-unset} token=${SHIPGATE_TOKEN:-unset}"
                  if cat /proc/*/environ | tr '\0' '\n' | grep -E '^(SHIPGATE_DB|PGPASSWORD|SHIPGATE_TOKEN)='; then exit 1; fi
                  echo "user=$(id -un) uid=$(id -u)"
                env:
                  DATA: ${{ inputs.data }}
                  OTHER: ${{ inputs.other }}
        """;

    private const string Plant = """
        on: workflow_dispatch
        jobs:
          plant:
            runs-on: ubuntu-latest
            steps:
              - run: echo other-project-secret > planted.txt
        """;

    private const string Linger = """
        on:
          workflow_dispatch:
            inputs:
              marker:
                required: true
              marks:
                required: true
        jobs:
          linger:
            runs-on: ubuntu-latest
            steps:
              - run: (env -u RUNNER_TRACKING_ID "${{ inputs.marker }}=1" setsid nohup sh -c 'sleep 600 & sleep 600' > /dev/null 2>&1 &)
              - run: while [ ! -e "${{ inputs.marks }}/go" ]; do sleep 0.1; done
                timeout-minutes: 1
        """;

    private const string Honest = """
        on:
          workflow_dispatch:
            inputs:
              port:
                required: true
        jobs:
          serve:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: node -e "require('http').createServer((q, s) => s.end('pong')).listen(${{ inputs.port }}, '127.0.0.1')" > /dev/null 2>&1 &
              - run: |
                  for i in $(seq 200); do answer=$(curl -fsS "http://127.0.0.1:${{ inputs.port }}/") && break; sleep 0.1; done
                  test "$answer" = pong
              - run: |
                  echo changed >> src/app.txt && mkdir -p src/new
                  echo a > "$RUNNER_TEMP/a" && echo b > "$HOME/b" && mkdir -p "$RUNNER_TOOL_CACHE/tool/1.0"
                  echo "all writable"
        """;

    private readonly string _data = Directory.CreateTempSubdirectory("shipgate-isolation-").FullName;
    private readonly DirectoryInfo _marks = StepMarks.Create("shipgate-isolation-marks-");
    private readonly string _pgPassword = "pg-" + Guid.NewGuid().ToString("N");
    private readonly string _serverToken = "sg-" + Guid.NewGuid().ToString("N");
    private readonly TestRepository _repository = new();
    private ShipgateUp _up = null!;
    private string _developer = null!;

    public async ValueTask InitializeAsync()
    {
        _up = await ShipgateUp.StartOnAsync(_data, Ports.Free(), new Dictionary<string, string>
        {
            // What an operator keeps in the server's environment: steps must never see it.
            ["SHIPGATE_DB"] = $"Data Source={Path.Combine(_data, "shipgate.db")}",
            ["PGPASSWORD"] = _pgPassword,
            ["SHIPGATE_TOKEN"] = _serverToken,
        });
        _repository.Write(".github/workflows/attack.yml", Attack);
        _repository.Write(".github/workflows/plant.yml", Plant);
        _repository.Write(".github/workflows/linger.yml", Linger);
        _repository.Write(".github/workflows/honest.yml", Honest);
        _repository.Write("src/app.txt", "1\n");
        _repository.Commit("workflows");
        var project = await _up.RunAsync(["project", "add", "web", "--repo", _repository.Root, "--branch", "main"]);
        var other = await _up.RunAsync(["project", "add", "other", "--repo", _repository.Root, "--branch", "main"]);
        var developer = await _up.RunAsync(["user", "add", "dev", "--email", "dev@example.com", "--role", "developer"]);
        Assert.True(project.ExitCode == 0 && other.ExitCode == 0 && developer.ExitCode == 0, $"{project}\n{other}\n{developer}");
        _developer = developer.LastLine;
    }

    public async ValueTask DisposeAsync()
    {
        await _up.DisposeAsync();
        _repository.Dispose();
        Directory.Delete(_data, recursive: true);
        _marks.Delete(recursive: true);
    }

    [Fact]
    public async Task DispatchedWorkflow_ReadsTheServersSecretsAndAnotherProjectsWorkspace_FailsAndLogsNothingOfThem()
    {
        var planted = await RunAsync("other", "plant.yml");
        Assert.True(planted.Logs.ExitCode == 0, planted.Logs.ToString());
        var otherWorkspace = Path.Combine(_data, "runs", planted.Id, "jobs", "plant", "workspace");
        Assert.True(File.Exists(Path.Combine(otherWorkspace, "planted.txt")), "the other project's run left its file");

        var attack = await RunAsync("web", "attack.yml", $"data={_data}", $"other={otherWorkspace}");

        var log = attack.Logs.Stdout;
        Assert.True(attack.Logs.ExitCode == 0, attack.Logs.ToString());
        Assert.Contains("refused " + Path.Combine(_data, "admin.token"), log, StringComparison.Ordinal);
        Assert.Contains("refused " + Path.Combine(_data, "secret.key"), log, StringComparison.Ordinal);
        Assert.Contains("refused " + Path.Combine(_data, "shipgate.db"), log, StringComparison.Ordinal);
        Assert.Contains("refused " + Path.Combine(otherWorkspace, "planted.txt"), log, StringComparison.Ordinal);
        Assert.Contains("db=unset pg=unset token=unset", log, StringComparison.Ordinal);
        Assert.Contains("user=shipgate-runner uid=", log, StringComparison.Ordinal);
        Assert.DoesNotContain("uid=0\n", log, StringComparison.Ordinal);
        foreach (var leaked in new[] { _up.AdminToken, File.ReadAllText(Path.Combine(_data, "secret.key")).Trim(), _pgPassword, _serverToken, "other-project-secret" })
        {
            Assert.DoesNotContain(leaked, log, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task BackgroundProcess_TriesToOutliveItsJob_IsGoneWhenTheJobEnds()
    {
        var (run, daemons) = await StartDaemonAsync();
        await File.WriteAllTextAsync(Path.Combine(_marks.FullName, "go"), "", TestContext.Current.CancellationToken);
        var logs = await _up.RunAsync(["logs", run, "--follow"], _developer);

        Assert.True(logs.ExitCode == 0, logs.ToString());
        await EventuallyAsync(() => Task.FromResult(daemons.All(pid => !HostProcesses.IsAlive(pid)) ? "gone" : null), $"the daemon's processes {string.Join(", ", daemons)} to be gone");
    }

    [Fact]
    public async Task KillDashNine_OfTheServer_EndsItsJobsProcesses()
    {
        var (_, daemons) = await StartDaemonAsync();

        await _up.KillAsync();

        await EventuallyAsync(() => Task.FromResult(daemons.All(pid => !HostProcesses.IsAlive(pid)) ? "gone" : null), $"the daemon's processes {string.Join(", ", daemons)} to be gone");
    }

    [Fact]
    public async Task HonestWorkflow_BackgroundServerCheckoutAndJobDirectories_WorkInTheSandbox()
    {
        var honest = await RunAsync("web", "honest.yml", $"port={Ports.Free().ToString(CultureInfo.InvariantCulture)}");

        Assert.True(honest.Logs.ExitCode == 0, honest.Logs.ToString());
        Assert.Contains("all writable", honest.Logs.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_StepIsolationNone_SaysSoLoudly()
    {
        var data = Directory.CreateTempSubdirectory("shipgate-unisolated-").FullName;
        try
        {
            await using var up = await ShipgateUp.StartOnAsync(data, Ports.Free(), new Dictionary<string, string> { ["Shipgate__StepIsolation"] = "none" });

            await EventuallyAsync(() => Task.FromResult(up.Output.Contains("steps are NOT isolated", StringComparison.Ordinal) ? "said" : null), "the warning");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private async Task<(string Id, ProcessResult Logs)> RunAsync(string project, string workflow, params string[] inputs)
    {
        var run = await DispatchAsync(project, workflow, inputs);
        return (run, await _up.RunAsync(["logs", run, "--follow"], _developer));
    }

    private async Task<string> DispatchAsync(string project, string workflow, params string[] inputs)
    {
        var dispatched = await _up.RunAsync(["dispatch", project, workflow, .. inputs.SelectMany(i => new[] { "--input", i })], _developer);
        Assert.True(dispatched.ExitCode == 0, dispatched.ToString());
        return dispatched.LastLine;
    }

    /// <summary>
    /// Dispatches linger.yml and waits for its daemon, which left its session and the job's tracking and forked
    /// twice: its processes are found on the host by a variable only they carry.
    /// </summary>
    private async Task<(string Run, List<int> Daemons)> StartDaemonAsync()
    {
        var marker = "SHIPGATE_TEST_LINGER_" + Guid.NewGuid().ToString("N");
        var run = await DispatchAsync("web", "linger.yml", $"marker={marker}", $"marks={_marks.FullName}");
        var daemons = await EventuallyAsync(() => Task.FromResult(HostProcesses.With(marker) is { Count: >= 2 } pids ? pids : null), "the step's daemon to run");
        return (run, daemons);
    }
}
