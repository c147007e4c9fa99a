using System.Text.Json;
using Shipgate.Engine.Runs;
using Shipgate.Storage.Runs;
using Shipgate.Storage.Tests.Infrastructure;

namespace Shipgate.Storage.Tests.Runs;

public abstract class RunEventRecorderTests(StoreTarget target) : StoreTests(target)
{
    [Fact]
    public async Task Recorder_WholeRun_RowsAndStreamMatchTheEvents()
    {
        var run = await NewRunAsync((await NewProjectAsync()).Id);
        var recorder = Store.Runs.CreateRecorder(run.Id, runner: "local");
        long sequence = 0;
        T Event<T>(T e)
            where T : RunEvent => e with { RunId = "engine-id", Sequence = ++sequence, Timestamp = DateTimeOffset.UnixEpoch };

        var events = new RunEvent[]
        {
            Event(new RunStartedEvent { RunId = "", Sequence = 0, Timestamp = default, WorkflowName = "CI", RunName = "CI", EventName = "push", Ref = "refs/heads/main", Sha = run.Sha, RunDirectory = "/data/runs/1", Jobs = [new PlannedJob("build", "build", [])] }),
            Event(new JobStartedEvent { RunId = "", Sequence = 0, Timestamp = default, JobKey = "build (1)", JobId = "build", Name = "build (1)", Environment = "staging", MatrixJson = "{\"n\":1}" }),
            Event(new StepStartedEvent { RunId = "", Sequence = 0, Timestamp = default, JobKey = "build (1)", StepNumber = 1, StepId = "compile", Name = "Compile", LogPath = "/data/runs/1/build/1.log" }),
            Event(new StepOutputEvent { RunId = "", Sequence = 0, Timestamp = default, JobKey = "build (1)", StepNumber = 1, Line = "compiling" }),
            Event(new StepAnnotationEvent { RunId = "", Sequence = 0, Timestamp = default, JobKey = "build (1)", StepNumber = 1, Level = AnnotationLevel.Warning, Message = "deprecated", Line = 3 }),
            Event(new StepFinishedEvent { RunId = "", Sequence = 0, Timestamp = default, JobKey = "build (1)", StepNumber = 1, StepId = "compile", Name = "Compile", Outcome = Conclusion.Success, Conclusion = Conclusion.Success, Duration = TimeSpan.FromSeconds(2) }),
            Event(new StepFinishedEvent { RunId = "", Sequence = 0, Timestamp = default, JobKey = "build (1)", StepNumber = 2, Name = "Skipped step", Outcome = Conclusion.Skipped, Conclusion = Conclusion.Skipped, Duration = TimeSpan.Zero }),
            Event(new JobFinishedEvent { RunId = "", Sequence = 0, Timestamp = default, JobKey = "build (1)", JobId = "build", Name = "build (1)", Outcome = Conclusion.Success, Conclusion = Conclusion.Success, Outputs = new Dictionary<string, string> { ["version"] = "1.2.3" }, Duration = TimeSpan.FromSeconds(3) }),
            Event(new JobFinishedEvent { RunId = "", Sequence = 0, Timestamp = default, JobKey = "lint", JobId = "lint", Name = "lint", Outcome = Conclusion.Skipped, Conclusion = Conclusion.Skipped, Reason = "if: false", Outputs = new Dictionary<string, string>(), Duration = TimeSpan.Zero }),
            Event(new RunFinishedEvent { RunId = "", Sequence = 0, Timestamp = default, Conclusion = Conclusion.Success, Duration = TimeSpan.FromSeconds(4) }),
        };
        foreach (var runEvent in events)
        {
            await recorder.OnEventAsync(runEvent, Cancel).AsTask().DefaultTimeout();
        }

        var stored = await Store.Runs.GetRunAsync(run.Id, Cancel).DefaultTimeout();
        Assert.Equal((RunStatus.Completed, Conclusion.Success, "/data/runs/1"), (stored!.Status, stored.Conclusion, stored.RunDirectory));
        var jobs = (await Store.Runs.ListJobsAsync(run.Id, Cancel).DefaultTimeout()).ToDictionary(j => j.Key);
        var build = jobs["build (1)"];
        Assert.Equal((RunStatus.Completed, Conclusion.Success, "staging", "{\"n\":1}", "local", "1.2.3"), (build.Status, build.Conclusion, build.Environment, build.MatrixJson, build.Runner, build.Outputs["version"]));
        Assert.Equal((RunStatus.Completed, Conclusion.Skipped, "if: false", (DateTimeOffset?)null), (jobs["lint"].Status, jobs["lint"].Conclusion, jobs["lint"].Reason, jobs["lint"].StartedAt));
        var steps = await Store.Runs.ListStepsAsync(build.Id, Cancel).DefaultTimeout();
        Assert.Equal(
            [
                new StepRecord(build.Id, 1, "compile", "Compile", RunStatus.Completed, Conclusion.Success, Conclusion.Success, null, "/data/runs/1/build/1.log", StoredNow, StoredNow),
                new StepRecord(build.Id, 2, null, "Skipped step", RunStatus.Completed, Conclusion.Skipped, Conclusion.Skipped, null, null, null, StoredNow),
            ],
            steps);

        var stream = await Store.Runs.ListEventsAsync(run.Id, cancellationToken: Cancel).DefaultTimeout();
        Assert.Equal(
            ["run.started", "job.started", "step.started", "step.annotation", "step.finished", "step.finished", "job.finished", "job.finished", "run.finished"],
            stream.Select(e => e.Kind));
        Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), stream.Select(e => e.Sequence));
        using var payload = JsonDocument.Parse(stream[6].PayloadJson);
        Assert.Equal("1.2.3", payload.RootElement.GetProperty("outputs").GetProperty("version").GetString());
        Assert.Equal(3000, payload.RootElement.GetProperty("durationMs").GetDouble());
    }

    [Fact]
    public async Task Recorder_OutputLinesAskedFor_Appended()
    {
        var run = await NewRunAsync((await NewProjectAsync()).Id);
        var recorder = Store.Runs.CreateRecorder(run.Id, recordOutputLines: true);

        await recorder.OnEventAsync(new StepOutputEvent { RunId = "x", Sequence = 1, Timestamp = default, JobKey = "build", StepNumber = 1, Line = "hello" }, Cancel).AsTask().DefaultTimeout();

        var stored = Assert.Single(await Store.Runs.ListEventsAsync(run.Id, cancellationToken: Cancel).DefaultTimeout());
        Assert.Equal("step.output", stored.Kind);
        using var payload = JsonDocument.Parse(stored.PayloadJson);
        Assert.Equal("hello", payload.RootElement.GetProperty("line").GetString());
    }

    public sealed class OnSqlite() : RunEventRecorderTests(new SqliteStoreTarget());

    public sealed class OnPostgres(PostgresServer server) : RunEventRecorderTests(new PostgresStoreTarget(server));
}
