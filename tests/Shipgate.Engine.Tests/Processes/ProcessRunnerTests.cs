using Shipgate.Engine.Processes;

namespace Shipgate.Engine.Tests.Processes;

public sealed class ProcessRunnerTests
{
    private static readonly ProcessRunnerOptions FastKill = new()
    {
        KillGracePeriod = TimeSpan.FromSeconds(2),
        OutputDrainTimeout = TimeSpan.FromMilliseconds(300),
    };

    private readonly ProcessRunner _runner = new(FastKill);

    /// <summary>The way taken where libc cannot posix_spawn a new session: util-linux's setsid program.</summary>
    private readonly ProcessRunner _setsidRunner = new(new ProcessRunnerOptions
    {
        KillGracePeriod = FastKill.KillGracePeriod,
        OutputDrainTimeout = FastKill.OutputDrainTimeout,
        UseSetsidProgram = true,
    });

    [Theory]
    [InlineData("exit 0", 0)]
    [InlineData("exit 3", 3)]
    [InlineData("kill -TERM $$", 143)]
    public async Task RunAsync_Exits_ReportsExitCode(string script, int expected)
    {
        var result = await _runner.RunAsync(ProcessTestSupport.Bash(script), _ => { }, TestContext.Current.CancellationToken).DefaultTimeoutAsync();

        Assert.Equal(ProcessOutcome.Exited, result.Outcome);
        Assert.Equal(expected, result.ExitCode);
    }

    [Fact]
    public async Task RunAsync_StdoutAndStderr_AreCapturedSeparatelyInOrder()
    {
        var output = new OutputCollector();
        var result = await _runner.RunAsync(
            ProcessTestSupport.Bash("echo one; echo two >&2; echo three; printf 'no newline'"), output.Add, TestContext.Current.CancellationToken).DefaultTimeoutAsync();

        Assert.True(result.Succeeded);
        Assert.Equal(["one", "three", "no newline"], output.Texts(OutputStream.StandardOutput));
        Assert.Equal(["two"], output.Texts(OutputStream.StandardError));
        Assert.All(output.Lines, l => Assert.False(l.IsPartial));
    }

    [Fact]
    public async Task RunAsync_Environment_IsExactlyTheSpec()
    {
        Environment.SetEnvironmentVariable("SHIPGATE_TEST_LEAK", "leaked");
        var output = new OutputCollector();
        var spec = new ProcessSpec
        {
            FileName = "/usr/bin/env",
            WorkingDirectory = Path.GetTempPath(),
            Environment = new Dictionary<string, string> { ["ONLY"] = "this one", ["PATH"] = "/usr/bin:/bin" },
        };

        var result = await _runner.RunAsync(spec, output.Add, TestContext.Current.CancellationToken).DefaultTimeoutAsync();

        Assert.True(result.Succeeded);
        Assert.Equal(["ONLY=this one", "PATH=/usr/bin:/bin"], output.Texts(OutputStream.StandardOutput).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RunAsync_WithTracker_AddsRunnerTrackingId()
    {
        var tracker = new ProcessTracker();
        var output = new OutputCollector();

        await _runner.RunAsync(ProcessTestSupport.Bash("echo \"$RUNNER_TRACKING_ID\"", tracker: tracker), output.Add, TestContext.Current.CancellationToken).DefaultTimeoutAsync();

        Assert.StartsWith(tracker.TrackingPrefix, Assert.Single(output.Lines).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WorkingDirectory_IsUsed()
    {
        var directory = ProcessTestSupport.NewTempDirectory();
        var output = new OutputCollector();

        await _runner.RunAsync(ProcessTestSupport.Bash("pwd", directory), output.Add, TestContext.Current.CancellationToken).DefaultTimeoutAsync();

        Assert.Equal(directory, Assert.Single(output.Lines).Text);
    }

    [Fact]
    public async Task RunAsync_Stdin_IsClosed()
    {
        // cat would wait forever on an open stdin; the timeout turns a hang into a failed assertion.
        var result = await _runner.RunAsync(ProcessTestSupport.Bash("cat; echo done", timeout: TimeSpan.FromSeconds(20)), _ => { }, TestContext.Current.CancellationToken).DefaultTimeoutAsync();

        Assert.Equal(ProcessOutcome.Exited, result.Outcome);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task RunAsync_ChildLeadsItsOwnProcessGroupAndSession()
    {
        var output = new OutputCollector();

        var result = await _runner.RunAsync(ProcessTestSupport.Bash("cut -d ' ' -f 5,6 /proc/$$/stat"), output.Add, TestContext.Current.CancellationToken).DefaultTimeoutAsync();

        var ids = Assert.Single(output.Lines).Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([result.ProcessId.ToString(), result.ProcessId.ToString()], ids);
    }

    [Fact]
    public async Task RunAsync_ThroughTheSetsidProgram_LeadsItsSessionWithExactEnvironmentAndEmptyInput()
    {
        var output = new OutputCollector();
        var script = "cat; cut -d ' ' -f 5,6 /proc/$$/stat; env | sort | tr '\\n' ' '; echo err >&2; exit 3";

        var result = await _setsidRunner.RunAsync(ProcessTestSupport.Bash(script), output.Add, TestContext.Current.CancellationToken).DefaultTimeoutAsync();

        Assert.Equal(3, result.ExitCode);
        var lines = output.Texts(OutputStream.StandardOutput).ToList();
        Assert.Equal($"{result.ProcessId} {result.ProcessId}", lines[0]);
        Assert.StartsWith($"HOME={Path.GetTempPath()} PATH=/usr/local/bin:/usr/bin:/bin PWD=", lines[1], StringComparison.Ordinal);
        Assert.Equal(["err"], output.Texts(OutputStream.StandardError));
    }

    [Fact]
    public async Task RunAsync_ThroughTheSetsidProgram_TimeoutKillsWholeTree()
    {
        var directory = ProcessTestSupport.NewTempDirectory();
        var pids = Path.Combine(directory, "pids");
        var script = $"sleep 300 & echo $! >> {pids}; echo ready; wait";

        var result = await _setsidRunner.RunAsync(ProcessTestSupport.Bash(script, timeout: TimeSpan.FromSeconds(1)), _ => { }, TestContext.Current.CancellationToken).DefaultTimeoutAsync();

        Assert.Equal(ProcessOutcome.TimedOut, result.Outcome);
        Assert.False(ProcessTestSupport.IsAlive(result.ProcessId));
        Assert.All(ProcessTestSupport.ReadPids(pids), pid => Assert.False(ProcessTestSupport.IsAlive(pid), $"process {pid} survived"));
    }

    [Fact]
    public async Task RunAsync_MissingWorkingDirectory_FailsToStart()
    {
        var result = await _runner.RunAsync(ProcessTestSupport.Bash("true", "/nonexistent/shipgate"), _ => { }, TestContext.Current.CancellationToken).DefaultTimeoutAsync();

        Assert.Equal(ProcessOutcome.FailedToStart, result.Outcome);
        Assert.Contains("/nonexistent/shipgate", result.Error, StringComparison.Ordinal);
        Assert.Null(result.ExitCode);
    }

    [Fact]
    public async Task RunAsync_MissingProgram_FailsToStart()
    {
        var spec = ProcessTestSupport.Bash("true") with { FileName = "shipgate-no-such-program" };

        var result = await _runner.RunAsync(spec, _ => { }, TestContext.Current.CancellationToken).DefaultTimeoutAsync();

        Assert.Equal(ProcessOutcome.FailedToStart, result.Outcome);
        Assert.Contains("shipgate-no-such-program: command not found", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Timeout_KillsWholeTreeAndReportsTimedOut()
    {
        var directory = ProcessTestSupport.NewTempDirectory();
        var pids = Path.Combine(directory, "pids");
        var script = $"sleep 300 & echo $! >> {pids}; (sleep 300; true) & echo $! >> {pids}; echo ready; wait";

        var result = await _runner.RunAsync(ProcessTestSupport.Bash(script, timeout: TimeSpan.FromSeconds(1)), _ => { }, TestContext.Current.CancellationToken).DefaultTimeoutAsync();

        Assert.Equal(ProcessOutcome.TimedOut, result.Outcome);
        Assert.False(result.ForcedKill);
        Assert.False(ProcessTestSupport.IsAlive(result.ProcessId));
        var children = ProcessTestSupport.ReadPids(pids);
        Assert.Equal(2, children.Length);
        Assert.All(children, pid => Assert.False(ProcessTestSupport.IsAlive(pid), $"process {pid} survived"));
    }

    [Fact]
    public async Task RunAsync_Cancelled_KillsWholeTreeAndReportsCancelled()
    {
        var directory = ProcessTestSupport.NewTempDirectory();
        var pids = Path.Combine(directory, "pids");
        var output = new OutputCollector();
        using var cancellation = new CancellationTokenSource();
        var script = $"for i in 1 2 3; do sleep 300 & echo $! >> {pids}; done; echo ready; wait";

        var run = _runner.RunAsync(ProcessTestSupport.Bash(script, timeout: TimeSpan.FromMinutes(5)), output.Add, cancellation.Token);
        await output.WaitForAsync("ready");
        await cancellation.CancelAsync();
        var result = await run.DefaultTimeoutAsync();

        Assert.Equal(ProcessOutcome.Cancelled, result.Outcome);
        Assert.All(ProcessTestSupport.ReadPids(pids), pid => Assert.False(ProcessTestSupport.IsAlive(pid), $"process {pid} survived"));
        Assert.False(ProcessTestSupport.IsAlive(result.ProcessId));
    }

    [Fact]
    public async Task RunAsync_TreeIgnoresSigterm_GetsSigkillAfterGrace()
    {
        var directory = ProcessTestSupport.NewTempDirectory();
        var pids = Path.Combine(directory, "pids");
        var output = new OutputCollector();
        using var cancellation = new CancellationTokenSource();
        // An ignored signal stays ignored in children, so the sleeps ignore SIGTERM too.
        var script = $"trap '' TERM; sleep 300 & echo $! >> {pids}; echo ready; wait; echo still-here; sleep 300";

        var run = _runner.RunAsync(ProcessTestSupport.Bash(script), output.Add, cancellation.Token);
        await output.WaitForAsync("ready");
        await cancellation.CancelAsync();
        var result = await run.DefaultTimeoutAsync();

        Assert.Equal(ProcessOutcome.Cancelled, result.Outcome);
        Assert.True(result.ForcedKill);
        Assert.Equal(137, result.ExitCode);
        Assert.All(ProcessTestSupport.ReadPids(pids), pid => Assert.False(ProcessTestSupport.IsAlive(pid), $"process {pid} survived"));
    }

    [Fact]
    public async Task RunAsync_TrapHandlesSigterm_CleansUpWithinGrace()
    {
        var output = new OutputCollector();
        using var cancellation = new CancellationTokenSource();
        var script = "trap 'echo cleaning-up; exit 7' TERM; echo ready; while :; do sleep 0.1; done";

        var run = _runner.RunAsync(ProcessTestSupport.Bash(script), output.Add, cancellation.Token);
        await output.WaitForAsync("ready");
        await cancellation.CancelAsync();
        var result = await run.DefaultTimeoutAsync();

        Assert.Equal(ProcessOutcome.Cancelled, result.Outcome);
        Assert.False(result.ForcedKill);
        Assert.Equal(7, result.ExitCode);
        Assert.Contains("cleaning-up", output.Texts(OutputStream.StandardOutput));
    }

    [Fact]
    public async Task RunAsync_DaemonLeavesGroup_IsStillKilledOnTimeoutThroughTracking()
    {
        var directory = ProcessTestSupport.NewTempDirectory();
        var pids = Path.Combine(directory, "pids");
        var tracker = new ProcessTracker();
        // setsid -f forks a new session: the daemon is neither in the group nor (after the fork) a descendant.
        var script = $"setsid -f bash -c 'echo $$ >> {pids}; exec sleep 300' </dev/null >/dev/null 2>&1; sleep 300";

        var result = await _runner.RunAsync(ProcessTestSupport.Bash(script, timeout: TimeSpan.FromSeconds(1), tracker: tracker), _ => { }, TestContext.Current.CancellationToken).DefaultTimeoutAsync();

        Assert.Equal(ProcessOutcome.TimedOut, result.Outcome);
        var daemon = Assert.Single(ProcessTestSupport.ReadPids(pids));
        Assert.False(ProcessTestSupport.IsAlive(daemon), $"daemon {daemon} survived");
    }

    [Fact]
    public async Task RunAsync_BackgroundChildAfterNormalExit_SurvivesUntilTrackerKillsIt()
    {
        var directory = ProcessTestSupport.NewTempDirectory();
        var pids = Path.Combine(directory, "pids");
        var tracker = new ProcessTracker();
        var output = new OutputCollector();
        // The background sleep keeps stdout open: the run must still end, after the drain timeout.
        var script = $"sleep 300 & echo $! >> {pids}; echo started";

        var result = await _runner.RunAsync(ProcessTestSupport.Bash(script, tracker: tracker), output.Add, TestContext.Current.CancellationToken).DefaultTimeoutAsync();

        Assert.Equal(ProcessOutcome.Exited, result.Outcome);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["started"], output.Texts(OutputStream.StandardOutput));
        var child = Assert.Single(ProcessTestSupport.ReadPids(pids));
        Assert.True(ProcessTestSupport.IsAlive(child), "a step's background process lives until the job ends");

        var killed = await tracker.KillRemainingAsync(TimeSpan.FromSeconds(2), cancellationToken: TestContext.Current.CancellationToken).DefaultTimeoutAsync();

        Assert.Equal(1, killed);
        Assert.False(ProcessTestSupport.IsAlive(child));
    }

    [Fact]
    public async Task RunAsync_HugeOutput_NoLineLongerThanCapAndNothingLost()
    {
        const long Total = 200_000_000;
        const int Cap = 8192;
        var runner = new ProcessRunner(new ProcessRunnerOptions { MaxLineLength = Cap });
        long characters = 0;
        var longest = 0;
        var partials = 0;
        var wholeLines = 0;
        // One 200 MB line without a newline, then 20 short lines.
        var script = $"head -c {Total} /dev/zero | tr '\\0' a; echo; for i in $(seq 20); do echo line$i; done";

        var result = await runner.RunAsync(ProcessTestSupport.Bash(script), line =>
        {
            characters += line.Text.Length;
            longest = Math.Max(longest, line.Text.Length);
            if (line.IsPartial)
            {
                partials++;
            }
            else
            {
                wholeLines++;
            }
        }, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(3), TestContext.Current.CancellationToken);
        var heap = GC.GetTotalMemory(forceFullCollection: true);

        Assert.True(result.Succeeded);
        Assert.Equal(Total + (20 * "lineNN".Length) - 9, characters);
        Assert.Equal(Cap, longest);
        Assert.Equal((int)(Total / Cap), partials);
        Assert.Equal(21, wholeLines);
        Assert.True(heap < 100_000_000, $"managed heap is {heap} bytes after 200 MB of output");
    }
}
