using Shipgate.Engine.Runs;
using Shipgate.Storage.Runs;
using Shipgate.Storage.Tests.Infrastructure;

namespace Shipgate.Storage.Tests.Runs;

public abstract class RunStoreTests(StoreTarget target) : StoreTests(target)
{
    [Fact]
    public async Task CreateRun_EveryField_RoundTrips()
    {
        var project = await NewProjectAsync();

        var created = await Store.Runs.CreateRunAsync(new NewRun
        {
            ProjectId = project.Id,
            WorkflowPath = ".github/workflows/deploy.yml",
            WorkflowName = "Deploy",
            Event = "workflow_dispatch",
            Ref = "refs/heads/release",
            Sha = "fedcba9876543210fedcba9876543210fedcba98",
            Actor = "alice",
            Initiator = "bob",
            Inputs = new Dictionary<string, string> { ["environment"] = "staging", ["dry-run"] = "true" },
            ConcurrencyGroup = "deploy-staging",
        }, Cancel).DefaultTimeout();

        var expected = new RunRecord(created.Id, project.Id, ".github/workflows/deploy.yml", "Deploy", 1, 1, "workflow_dispatch", "refs/heads/release",
            "fedcba9876543210fedcba9876543210fedcba98", "alice", "bob", created.Inputs, "deploy-staging", RunStatus.Queued, null, null, null, StoredNow, null, null, null, null, 0);
        Assert.Equal(expected, created);
        Assert.Equal(new Dictionary<string, string> { ["environment"] = "staging", ["dry-run"] = "true" }, created.Inputs);
        var read = await Store.Runs.GetRunAsync(created.Id, Cancel).DefaultTimeout();
        Assert.Equal(expected with { Inputs = read!.Inputs }, read);
        Assert.Equal(created.Inputs, read.Inputs);
    }

    [Fact]
    public async Task CreateRun_SameWorkflow_NumbersCountPerWorkflow()
    {
        var project = await NewProjectAsync();

        var first = await NewRunAsync(project.Id, "ci.yml");
        var second = await NewRunAsync(project.Id, "ci.yml");
        var other = await NewRunAsync(project.Id, "deploy.yml");

        Assert.Equal([1L, 2L, 1L], [first.Number, second.Number, other.Number]);
    }

    [Fact]
    public async Task ListRuns_FiltersAndPages_NewestFirst()
    {
        var web = await NewProjectAsync("web");
        var api = await NewProjectAsync("api");
        var runs = new List<RunRecord>();
        for (var i = 0; i < 5; i++)
        {
            runs.Add(await NewRunAsync(i % 2 == 0 ? web.Id : api.Id));
        }

        Assert.True(await Store.Runs.TryTransitionRunAsync(runs[4].Id, RunStatus.Queued, RunStatus.InProgress, Cancel).DefaultTimeout());

        var all = await Store.Runs.ListRunsAsync(cancellationToken: Cancel).DefaultTimeout();
        var webRuns = await Store.Runs.ListRunsAsync(new RunQuery { ProjectId = web.Id }, Cancel).DefaultTimeout();
        var queued = await Store.Runs.ListRunsAsync(new RunQuery { Status = RunStatus.Queued, Limit = 2 }, Cancel).DefaultTimeout();
        var nextPage = await Store.Runs.ListRunsAsync(new RunQuery { Status = RunStatus.Queued, Limit = 2, BeforeId = queued[^1].Id }, Cancel).DefaultTimeout();

        Assert.Equal(runs.Select(r => r.Id).Reverse(), all.Select(r => r.Id));
        Assert.Equal([runs[4].Id, runs[2].Id, runs[0].Id], webRuns.Select(r => r.Id));
        Assert.Equal([runs[3].Id, runs[2].Id], queued.Select(r => r.Id));
        Assert.Equal([runs[1].Id, runs[0].Id], nextPage.Select(r => r.Id));
    }

    [Fact]
    public async Task TryTransitionRun_ExpectedState_HappensOnce()
    {
        var run = await NewRunAsync((await NewProjectAsync()).Id);

        Assert.True(await Store.Runs.TryTransitionRunAsync(run.Id, RunStatus.Queued, RunStatus.InProgress, Cancel).DefaultTimeout());
        Assert.False(await Store.Runs.TryTransitionRunAsync(run.Id, RunStatus.Queued, RunStatus.InProgress, Cancel).DefaultTimeout());
        Time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(await Store.Runs.TryTransitionRunAsync(run.Id, RunStatus.InProgress, RunStatus.Waiting, Cancel).DefaultTimeout());

        var read = await Store.Runs.GetRunAsync(run.Id, Cancel).DefaultTimeout();
        Assert.Equal(RunStatus.Waiting, read!.Status);
        Assert.Equal(run.CreatedAt, read.StartedAt);
    }

    [Fact]
    public async Task TryCompleteRun_WrongExpectedState_ChangesNothing()
    {
        var run = await NewRunAsync((await NewProjectAsync()).Id);

        Assert.False(await Store.Runs.TryCompleteRunAsync(run.Id, RunStatus.InProgress, Conclusion.Success, cancellationToken: Cancel).DefaultTimeout());
        Assert.True(await Store.Runs.TryCompleteRunAsync(run.Id, RunStatus.Queued, Conclusion.Cancelled, "superseded by a newer run", Cancel).DefaultTimeout());
        Assert.False(await Store.Runs.TryCompleteRunAsync(run.Id, RunStatus.Queued, Conclusion.Success, cancellationToken: Cancel).DefaultTimeout());

        var read = await Store.Runs.GetRunAsync(run.Id, Cancel).DefaultTimeout();
        Assert.Equal((RunStatus.Completed, Conclusion.Cancelled, "superseded by a newer run", StoredNow), (read!.Status, read.Conclusion, read.Reason, read.FinishedAt));
    }

    [Fact]
    public async Task AppendEvent_ManyConcurrently_NumberedFromOneWithoutGaps()
    {
        var run = await NewRunAsync((await NewProjectAsync()).Id);

        var sequences = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Store.Runs.AppendEventAsync(run.Id, "test.event", $"{{\"i\":{i}}}", Cancel))).DefaultTimeout();

        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), sequences.Order());
        var events = await Store.Runs.ListEventsAsync(run.Id, cancellationToken: Cancel).DefaultTimeout();
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), events.Select(e => e.Sequence));
        var after = await Store.Runs.ListEventsAsync(run.Id, afterSequence: 38, cancellationToken: Cancel).DefaultTimeout();
        Assert.Equal([39L, 40L], after.Select(e => e.Sequence));
        Assert.Equal(new RunEventRecord(run.Id, 39, "test.event", after[0].PayloadJson, StoredNow), after[0]);
        Assert.Equal(40, (await Store.Runs.GetRunAsync(run.Id, Cancel).DefaultTimeout())!.LastEventSequence);
    }

    [Fact]
    public async Task RunEvents_SameSequenceTwice_RefusedByTheDatabase()
    {
        var run = await NewRunAsync((await NewProjectAsync()).Id);
        await Store.Runs.AppendEventAsync(run.Id, "a", "{}", Cancel).DefaultTimeout();

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() =>
            ExecuteRawAsync($"INSERT INTO run_events (run_id, sequence, kind, payload_json, at) SELECT run_id, sequence, kind, payload_json, at FROM run_events WHERE run_id = {run.Id}"));
    }

    [Fact]
    public async Task Jobs_QueueTransitionComplete_RoundTrip()
    {
        var run = await NewRunAsync((await NewProjectAsync()).Id);

        var job = await Store.Runs.AddJobAsync(new NewJob { RunId = run.Id, Key = "build (18)", JobId = "build", Name = "build (18)", Environment = "staging", MatrixJson = "{\"node\":18}" }, Cancel).DefaultTimeout();
        var duplicate = await Store.Runs.AddJobAsync(new NewJob { RunId = run.Id, Key = "build (18)", JobId = "build", Name = "again" }, Cancel).DefaultTimeout();

        Assert.NotNull(job);
        Assert.Null(duplicate);
        Assert.Equal(new JobRecord(job.Id, run.Id, "build (18)", "build", "build (18)", RunStatus.Queued, null, null, null, job.Outputs, "{\"node\":18}", "staging", null, 1, StoredNow, null, null, null, null), job);
        Assert.Empty(job.Outputs);

        Assert.False(await Store.Runs.TryTransitionJobAsync(job.Id, RunStatus.InProgress, RunStatus.Waiting, Cancel).DefaultTimeout());
        Assert.True(await Store.Runs.TryTransitionJobAsync(job.Id, RunStatus.Queued, RunStatus.InProgress, Cancel).DefaultTimeout());
        Assert.True(await Store.Runs.TryCompleteJobAsync(job.Id, RunStatus.InProgress, new JobCompletion
        {
            Outcome = Conclusion.Failure,
            Conclusion = Conclusion.Success,
            Reason = "continue-on-error",
            Outputs = new Dictionary<string, string> { ["digest"] = "sha256:abc" },
        }, Cancel).DefaultTimeout());
        Assert.False(await Store.Runs.TryCompleteJobAsync(job.Id, RunStatus.InProgress, new JobCompletion { Outcome = Conclusion.Success, Conclusion = Conclusion.Success }, Cancel).DefaultTimeout());

        var read = await Store.Runs.GetJobAsync(run.Id, "build (18)", Cancel).DefaultTimeout();
        Assert.Equal((RunStatus.Completed, Conclusion.Success, Conclusion.Failure, "continue-on-error"), (read!.Status, read.Conclusion, read.Outcome, read.Reason));
        Assert.Equal("sha256:abc", read.Outputs["digest"]);
        Assert.Equal([read], await Store.Runs.ListJobsAsync(run.Id, Cancel).DefaultTimeout(), new JobComparer());
    }

    [Fact]
    public async Task Artifacts_UploadedTwice_LastRecordWins()
    {
        var run = await NewRunAsync((await NewProjectAsync()).Id);

        await Store.Runs.RecordArtifactAsync(run.Id, "build", "sha256:1111", 10, "build", Cancel).DefaultTimeout();
        await Store.Runs.RecordArtifactAsync(run.Id, "report", "sha256:2222", 20, "test", Cancel).DefaultTimeout();
        await Store.Runs.RecordArtifactAsync(run.Id, "build", "sha256:3333", 30, "build", Cancel).DefaultTimeout();

        Assert.Equal(
            [new ArtifactRecord(run.Id, "build", "sha256:3333", 30, "build", StoredNow), new ArtifactRecord(run.Id, "report", "sha256:2222", 20, "test", StoredNow)],
            await Store.Runs.ListArtifactsAsync(run.Id, Cancel).DefaultTimeout());
    }

    private sealed class JobComparer : IEqualityComparer<JobRecord>
    {
        public bool Equals(JobRecord? x, JobRecord? y) => x is not null && y is not null && x with { Outputs = y.Outputs } == y && x.Outputs.SequenceEqual(y.Outputs);

        public int GetHashCode(JobRecord obj) => obj.Id.GetHashCode();
    }

    public sealed class OnSqlite() : RunStoreTests(new SqliteStoreTarget());

    public sealed class OnPostgres(PostgresServer server) : RunStoreTests(new PostgresStoreTarget(server));
}
