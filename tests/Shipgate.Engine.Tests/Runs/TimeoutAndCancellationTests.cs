using Shipgate.Engine.Runs;
using static Shipgate.Engine.Tests.Runs.TestWorkflow;

namespace Shipgate.Engine.Tests.Runs;

public sealed class TimeoutAndCancellationTests : IDisposable
{
    private readonly RunHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    /// <summary>A step that starts a background child (a grandchild of the engine), records its pid, and waits.</summary>
    private string SleepWithChild(string name) => $"sleep 300 & echo $! > {_harness.Shared}/{name}.pid; wait";

    [Fact]
    public async Task StepTimeout_KillsTheTreeAndFailsWithTimedOut()
    {
        var workflow = Workflow(Job("build", [Run(SleepWithChild("step"), timeoutMinutes: "0.02"), Run($"touch {_harness.Shared}/after")]));

        var result = await _harness.RunAsync(workflow);

        var job = RunEngineTests.Single(result, "build");
        Assert.Equal(Conclusion.Failure, job.Conclusion);
        Assert.Equal(Conclusion.Failure, job.Steps[0].Conclusion);
        Assert.Contains("timed out", job.Steps[0].Reason);
        Assert.Equal(Conclusion.Skipped, job.Steps[1].Conclusion);
        await AssertDeadAsync(ReadPid("step"));
    }

    [Fact]
    public async Task JobTimeout_KillsTheRunningStepAndFailsTheJob()
    {
        var workflow = Workflow(Job("build", [Run(SleepWithChild("job"))], timeoutMinutes: "0.02"));

        var result = await _harness.RunAsync(workflow);

        var job = RunEngineTests.Single(result, "build");
        Assert.Equal(Conclusion.Failure, job.Conclusion);
        Assert.Contains("timed out", job.Reason);
        Assert.Equal(Conclusion.Failure, job.Steps[0].Conclusion);
        Assert.Equal(Conclusion.Failure, result.Conclusion);
        await AssertDeadAsync(ReadPid("job"));
    }

    [Fact]
    public async Task Cancellation_KillsTheStepTreeCancelsTheRunAndSkipsTheRest()
    {
        using var cancel = new CancellationTokenSource();
        var pidFile = Path.Combine(_harness.Shared, "cancel.pid");
        var workflow = Workflow(
            Job("build", [Run(SleepWithChild("cancel")), Run($"touch {_harness.Shared}/after")]),
            Job("deploy", [Run($"touch {_harness.Shared}/deploy")], needs: ["build"]));

        var running = _harness.RunAsync(_harness.Request(workflow), cancel: cancel);
        await WaitForFileAsync(pidFile);
        await cancel.CancelAsync();
        var result = await running;

        Assert.Equal(Conclusion.Cancelled, result.Conclusion);
        var build = RunEngineTests.Single(result, "build");
        Assert.Equal(Conclusion.Cancelled, build.Conclusion);
        Assert.Equal([Conclusion.Cancelled, Conclusion.Skipped], build.Steps.Select(s => s.Conclusion));
        Assert.Equal(Conclusion.Cancelled, RunEngineTests.Single(result, "deploy").Conclusion);
        Assert.False(File.Exists(Path.Combine(_harness.Shared, "deploy")));
        await AssertDeadAsync(ReadPid("cancel"));
    }

    [Fact]
    public async Task Cancellation_WhileTheStepStartIsBeingRecorded_StopsTheStep()
    {
        // The cancellation lands after the step's if: was decided and before its process starts: the step
        // must still be stopped (it is not an always() step), not run to its end.
        using var cancel = new CancellationTokenSource();
        var observer = new RecordingObserver { OnEvent = e => { if (e is StepStartedEvent) { cancel.Cancel(); } } };
        var workflow = Workflow(Job("build", [Run($"sleep 60; touch {_harness.Shared}/slept")]));

        var result = await _harness.RunAsync(_harness.Request(workflow), observer: observer, cancel: cancel);

        Assert.Equal(Conclusion.Cancelled, result.Conclusion);
        Assert.Equal(Conclusion.Cancelled, RunEngineTests.Single(result, "build").Steps[0].Conclusion);
        Assert.False(File.Exists(Path.Combine(_harness.Shared, "slept")));
    }

    [Fact]
    public async Task Cancellation_DependentJobWithAlways_StillRunsItsSteps()
    {
        using var cancel = new CancellationTokenSource();
        var workflow = Workflow(
            Job("build", [Run(SleepWithChild("build"))]),
            Job("cleanup", [Run($"touch {_harness.Shared}/cleanup"), Run($"echo ${{{{ needs.build.result }}}} > {_harness.Shared}/result")], needs: ["build"], condition: "always()"));

        var running = _harness.RunAsync(_harness.Request(workflow), cancel: cancel);
        await WaitForFileAsync(Path.Combine(_harness.Shared, "build.pid"));
        await cancel.CancelAsync();
        var result = await running;

        Assert.Equal(Conclusion.Cancelled, result.Conclusion);
        Assert.Equal(Conclusion.Success, RunEngineTests.Single(result, "cleanup").Conclusion);
        Assert.True(File.Exists(Path.Combine(_harness.Shared, "cleanup")));
        Assert.Equal("cancelled\n", File.ReadAllText(Path.Combine(_harness.Shared, "result")));
    }

    [Fact]
    public async Task Detach_DuringAStep_KillsTheTreeRunsNothingMoreAndPublishesNothingMore()
    {
        using var detach = new CancellationTokenSource();
        var gate = new FakeJobGate();
        var workflow = _harness.LoadWorkflow($$"""
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                environment: production
                steps:
                  - run: {{SleepWithChild("detach")}}
                  - if: always()
                    run: touch {{_harness.Shared}}/after
              cleanup:
                needs: build
                if: always()
                runs-on: ubuntu-latest
                steps:
                  - run: touch {{_harness.Shared}}/cleanup
            """);
        var request = _harness.Request(workflow, gate);

        var running = _harness.RunAsync(new RunRequest { Workflow = request.Workflow, RepositoryDirectory = request.RepositoryDirectory, DataDirectory = request.DataDirectory, JobGate = gate, Detach = detach.Token });
        await WaitForFileAsync(Path.Combine(_harness.Shared, "detach.pid"));
        var published = _harness.Observer.Events.Count;
        await detach.CancelAsync();
        var result = await running;

        Assert.True(result.Detached);
        Assert.Equal(Conclusion.Cancelled, result.Conclusion);
        Assert.Equal(published, _harness.Observer.Events.Count);
        Assert.False(File.Exists(Path.Combine(_harness.Shared, "after")));
        Assert.False(File.Exists(Path.Combine(_harness.Shared, "cleanup")));
        Assert.Empty(gate.Left);
        await AssertDeadAsync(ReadPid("detach"));
    }

    private int ReadPid(string name) => int.Parse(File.ReadAllText(Path.Combine(_harness.Shared, name + ".pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    internal static async Task WaitForFileAsync(string path)
    {
        for (var i = 0; i < 600 && !File.Exists(path); i++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.True(File.Exists(path), $"{path} did not appear");
    }

    /// <summary>Waits (bounded) until the process is gone or a zombie.</summary>
    internal static async Task AssertDeadAsync(int pid)
    {
        for (var i = 0; i < 100; i++)
        {
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat) || File.ReadAllText(stat).Split(' ')[2] == "Z")
            {
                return;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"process {pid} is still alive");
    }
}
