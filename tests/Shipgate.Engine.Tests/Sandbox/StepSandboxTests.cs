using System.Globalization;
using Shipgate.Engine.Runs;
using Shipgate.Engine.Sandbox;
using Shipgate.Engine.Tests.Actions;
using Shipgate.Engine.Tests.Runs;

namespace Shipgate.Engine.Tests.Sandbox;

/// <summary>Real bubblewrap sandboxes around real steps (bubblewrap, util-linux and bash must be installed).</summary>
public sealed class StepSandboxTests : IDisposable
{
    private static readonly StepSandbox Sandbox = new();
    private readonly RunHarness _harness = new();

    public StepSandboxTests()
    {
        Assert.True(StepSandbox.FindProblem() is null, StepSandbox.FindProblem());
    }

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Step_DataDirectory_ShowsOnlyTheJobsOwnDirectories()
    {
        Directory.CreateDirectory(_harness.Data);
        File.WriteAllText(Path.Combine(_harness.Data, "secret.key"), "the-key");
        var other = Directory.CreateDirectory(Path.Combine(_harness.Data, "runs", "other", "jobs", "build", "workspace")).FullName;
        File.WriteAllText(Path.Combine(other, "theirs.txt"), "theirs");
        var workflow = _harness.LoadWorkflow($$$"""
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                outputs:
                  seen: ${{ steps.look.outputs.seen }}
                steps:
                  - id: look
                    run: |
                      if cat {{{_harness.Data}}}/secret.key || cat {{{other}}}/theirs.txt || ls {{{_harness.Shared}}}; then exit 1; fi
                      echo "seen=$(ls {{{_harness.Data}}} | tr '\n' ' ')" >> "$GITHUB_OUTPUT"
            """);

        var result = await _harness.RunAsync(_harness.Request(workflow), Options());

        var job = RunEngineTests.Single(result, "build");
        Assert.True(job.Conclusion == Conclusion.Success, job.Reason);
        Assert.Equal("runs tool-cache ", job.Outputs["seen"]);
        Assert.DoesNotContain("the-key", File.ReadAllText(job.Steps[0].LogPath!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Step_ServerEnvironment_IsNotInherited()
    {
        var name = "SHIPGATE_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "server-only");
        try
        {
            var workflow = _harness.LoadWorkflow($$"""
                on: push
                env:
                  FROM_WORKFLOW: kept
                jobs:
                  build:
                    runs-on: ubuntu-latest
                    steps:
                      - run: |
                          test -z "${{{name}}:-}"
                          test "$FROM_WORKFLOW" = kept
                          test "$CI" = true
                          test -n "$GITHUB_WORKSPACE" && test -n "$RUNNER_TEMP" && test -n "$PATH"
                          test "$HOME" != "{{Environment.GetEnvironmentVariable("HOME")}}"
                          if env | grep -q server-only; then exit 1; fi
                """);

            var result = await _harness.RunAsync(_harness.Request(workflow), Options());

            var job = RunEngineTests.Single(result, "build");
            Assert.True(job.Conclusion == Conclusion.Success, job.Reason);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public async Task Step_ServerRunsAsRoot_RunsAsTheRunnerUser()
    {
        Assert.True(Environment.IsPrivilegedProcess, "this test needs root, as the server tests and CI run");
        var workflow = _harness.LoadWorkflow("""
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                outputs:
                  user: ${{ steps.who.outputs.user }}
                steps:
                  - id: who
                    run: echo "user=$(id -un):$(id -u)" >> "$GITHUB_OUTPUT"
            """);

        var result = await _harness.RunAsync(_harness.Request(workflow), Options());

        var job = RunEngineTests.Single(result, "build");
        Assert.True(job.Conclusion == Conclusion.Success, job.Reason);
        Assert.StartsWith(StepSandbox.DefaultRunnerUser + ":", job.Outputs["user"], StringComparison.Ordinal);
        Assert.DoesNotContain(":0", job.Outputs["user"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Step_JobDirectories_AreWritable()
    {
        var workflow = _harness.LoadWorkflow("""
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - run: |
                      echo a > "$GITHUB_WORKSPACE/a" && mkdir -p "$GITHUB_WORKSPACE/d/e"
                      echo b > "$RUNNER_TEMP/b"
                      echo c > "$HOME/.c" && mkdir -p ~/.cache/tool
                      mkdir -p "$RUNNER_TOOL_CACHE/mytool/1.0" && echo d > "$RUNNER_TOOL_CACHE/mytool/1.0/d"
                      echo e > /tmp/e
                      echo "added=yes" >> "$GITHUB_ENV"
                  - run: |
                      test "$(cat "$GITHUB_WORKSPACE/a" "$RUNNER_TEMP/b" "$HOME/.c" /tmp/e)" = "$(printf 'a\nb\nc\ne')"
                      test "$added" = yes
                      cat "$GITHUB_EVENT_PATH" > /dev/null
            """);

        var result = await _harness.RunAsync(_harness.Request(workflow), Options());

        var job = RunEngineTests.Single(result, "build");
        Assert.True(job.Conclusion == Conclusion.Success, job.Reason);
        Assert.Equal("d\n", File.ReadAllText(Path.Combine(_harness.Data, "tool-cache", "mytool", "1.0", "d")));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Step_HostFileSystem_IsReadOnlyOutsideTheJobAndTmp()
    {
        // A directory the runner could write by its mode (as the server's own user would own its home or an installed
        // shipgate): a write there would outlive the job, so the sandbox mounts the host read-only.
        // Not under /tmp (writable in the sandbox) nor under a folder the runner user cannot enter (a checkout in /tmp).
        var parent = Environment.IsPrivilegedProcess ? "/var/lib" : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var host = Directory.CreateDirectory(Path.Combine(parent, "shipgate-host-" + Guid.NewGuid().ToString("N"))).FullName;
        File.SetUnixFileMode(host, (UnixFileMode)0b111_111_111);
        try
        {
            var workflow = _harness.LoadWorkflow($$"""
                on: push
                jobs:
                  build:
                    runs-on: ubuntu-latest
                    steps:
                      - run: |
                          if echo planted > {{host}}/planted; then exit 1; fi
                          echo ok > "$GITHUB_WORKSPACE/ok"
                """);

            var result = await _harness.RunAsync(_harness.Request(workflow), Options());

            var job = RunEngineTests.Single(result, "build");
            Assert.True(job.Conclusion == Conclusion.Success, job.Reason);
            Assert.False(File.Exists(Path.Combine(host, "planted")));
            Assert.Contains("Read-only file system", File.ReadAllText(job.Steps[0].LogPath!), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(host, recursive: true);
        }
    }

    [Fact]
    public async Task Step_BackgroundServer_AnswersTheNextStepAndDiesWithTheJob()
    {
        var marker = "SHIPGATE_TEST_DAEMON_" + Guid.NewGuid().ToString("N");
        var daemons = new List<int>();
        var observer = new RecordingObserver
        {
            // When the second step starts, the first has ended: what it left behind is found on the host, by a
            // variable only its processes carry.
            OnEvent = e =>
            {
                if (e is StepStartedEvent { StepNumber: 2 })
                {
                    daemons.AddRange(ProcessesWith(marker));
                }
            },
        };
        var workflow = _harness.LoadWorkflow($$"""
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - run: |
                      mkfifo "$RUNNER_TEMP/ask" "$RUNNER_TEMP/answer"
                      (while true; do cat "$RUNNER_TEMP/ask" > /dev/null; echo pong > "$RUNNER_TEMP/answer"; done) > /dev/null 2>&1 &
                      # A daemon that leaves the job's tracking and its session, twice forked.
                      (env -u RUNNER_TRACKING_ID {{marker}}=1 setsid nohup sh -c 'sleep 600 & sleep 600' > /dev/null 2>&1 &)
                  - run: |
                      echo ping > "$RUNNER_TEMP/ask"
                      test "$(cat "$RUNNER_TEMP/answer")" = pong
            """);

        var result = await _harness.RunAsync(_harness.Request(workflow), Options(), observer: observer);

        var job = RunEngineTests.Single(result, "build");
        Assert.True(job.Conclusion == Conclusion.Success, job.Reason);
        Assert.NotEmpty(daemons);
        foreach (var pid in daemons)
        {
            await TimeoutAndCancellationTests.AssertDeadAsync(pid);
        }
    }

    [Fact]
    public async Task Step_ExitCodeAndTimeout_AreExact()
    {
        var workflow = _harness.LoadWorkflow("""
            on: push
            jobs:
              exits:
                runs-on: ubuntu-latest
                steps:
                  - run: exit 7
              times-out:
                runs-on: ubuntu-latest
                steps:
                  - run: sleep 300
                    timeout-minutes: 0.02
            """);

        var result = await _harness.RunAsync(_harness.Request(workflow), Options());

        Assert.Equal("Process completed with exit code 7.", RunEngineTests.Single(result, "exits").Steps[0].Reason);
        var timedOut = RunEngineTests.Single(result, "times-out").Steps[0];
        Assert.Equal(Conclusion.Failure, timedOut.Conclusion);
        Assert.Contains("timed out", timedOut.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Step_CheckedOutFiles_BelongToTheRunner()
    {
        var repository = new GitRepository(_harness.Repository);
        repository.Commit("first", ("src/app.txt", "v1\n"));
        var workflow = _harness.LoadWorkflow("""
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/checkout@v4
                  - run: |
                      echo v2 > src/app.txt && touch src/new.txt
                      git status --porcelain | grep -q app.txt
            """);
        repository.Commit("workflow");

        var result = await _harness.RunAsync(_harness.Request(workflow), Options());

        var job = RunEngineTests.Single(result, "build");
        Assert.True(job.Conclusion == Conclusion.Success, job.Reason);
    }

    [Fact]
    public async Task StartJob_BubblewrapRefuses_FailsTheJobWithItsReason()
    {
        var sandbox = new StepSandbox();
        var missing = Path.Combine(_harness.Data, "missing");
        var layout = new JobSandboxLayout(_harness.Data, missing + "/workspace", missing + "/temp", missing + "/home", missing + "/tools", missing + "/event.json");

        var error = await Assert.ThrowsAsync<SandboxException>(() => sandbox.StartJobAsync(layout, TestContext.Current.CancellationToken)).WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);

        Assert.StartsWith("bubblewrap could not create the job's sandbox: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FindProblem_WithoutBubblewrap_SaysToInstallTheBubblewrapPackage()
    {
        var problem = StepSandbox.FindProblem("/nonexistent");

        Assert.Equal(
            "Steps run in a bubblewrap sandbox, but bwrap is not installed: install the bubblewrap package (apt-get install bubblewrap), "
            + "or set Shipgate__StepIsolation=none to run steps unisolated.",
            problem);
    }

    private static RunEngineOptions Options() => new() { Sandbox = Sandbox };

    private static List<int> ProcessesWith(string variable)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                try
                {
                    if (File.ReadAllText(Path.Combine(directory, "environ")).Split('\0').Contains(variable + "=1"))
                    {
                        found.Add(pid);
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Gone meanwhile.
                }
            }
        }

        return found;
    }
}
