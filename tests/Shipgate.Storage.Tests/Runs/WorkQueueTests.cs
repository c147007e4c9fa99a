using System.Collections.Concurrent;
using Shipgate.Engine.Runs;
using Shipgate.Storage.Runs;
using Shipgate.Storage.Tests.Infrastructure;

namespace Shipgate.Storage.Tests.Runs;

public abstract class WorkQueueTests(StoreTarget target) : StoreTests(target)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ClaimNextRun_OldestFirst_WithLease()
    {
        var project = await NewProjectAsync();
        var first = await NewRunAsync(project.Id);
        var second = await NewRunAsync(project.Id);

        var claimed = await Store.Queue.ClaimNextRunAsync("server-a", Lease, Cancel).DefaultTimeout();
        var next = await Store.Queue.ClaimNextRunAsync("server-a", Lease, Cancel).DefaultTimeout();
        var none = await Store.Queue.ClaimNextRunAsync("server-a", Lease, Cancel).DefaultTimeout();

        Assert.Equal((first.Id, RunStatus.InProgress, "server-a", StoredNow + Lease, StoredNow), (claimed!.Id, claimed.Status, claimed.LeaseOwner, claimed.LeaseExpiresAt, claimed.StartedAt));
        Assert.Equal(second.Id, next!.Id);
        Assert.Null(none);
    }

    [Fact]
    public async Task ClaimNextJob_TwoStoresClaimingConcurrently_NeverTheSameJob()
    {
        var project = await NewProjectAsync();
        var run = await NewRunAsync(project.Id);
        const int Jobs = 60;
        for (var i = 0; i < Jobs; i++)
        {
            await Store.Runs.AddJobAsync(new NewJob { RunId = run.Id, Key = $"job{i}", JobId = $"job{i}", Name = $"job {i}" }, Cancel).DefaultTimeout();
        }

        // A second store on the same database: another process (SQLite) or another server (PostgreSQL).
        await using var other = await Target.OpenAsync(Time, Cancel).DefaultTimeout();
        var claims = new ConcurrentBag<(string Owner, long JobId)>();
        async Task ClaimAllAsync(ShipgateStore store, string owner)
        {
            while (await store.Queue.ClaimNextJobAsync(owner, Lease, Cancel) is { } job)
            {
                claims.Add((owner, job.Id));
            }
        }

        await Task.WhenAll(
            Task.Run(() => ClaimAllAsync(Store, "runner-1"), Cancel),
            Task.Run(() => ClaimAllAsync(other, "runner-2"), Cancel),
            Task.Run(() => ClaimAllAsync(Store, "runner-3"), Cancel),
            Task.Run(() => ClaimAllAsync(other, "runner-4"), Cancel)).DefaultTimeout();

        Assert.Equal(Jobs, claims.Count);
        Assert.Equal(Jobs, claims.Select(c => c.JobId).Distinct().Count());
        var jobs = await Store.Runs.ListJobsAsync(run.Id, Cancel).DefaultTimeout();
        Assert.All(jobs, job => Assert.Equal((RunStatus.InProgress, job.LeaseOwner), (job.Status, claims.Single(c => c.JobId == job.Id).Owner)));
    }

    [Fact]
    public async Task RenewLease_ByOwnerOnly()
    {
        var project = await NewProjectAsync();
        var run = await NewRunAsync(project.Id);
        await Store.Queue.ClaimNextRunAsync("server-a", Lease, Cancel).DefaultTimeout();
        Time.Advance(TimeSpan.FromSeconds(20));

        Assert.False(await Store.Queue.RenewRunLeaseAsync(run.Id, "server-b", Lease, Cancel).DefaultTimeout());
        Assert.True(await Store.Queue.RenewRunLeaseAsync(run.Id, "server-a", Lease, Cancel).DefaultTimeout());
        Time.Advance(TimeSpan.FromSeconds(20));

        Assert.Empty(await Store.Queue.FindExpiredLeasesAsync(Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task ExpiredJobLease_AfterRestart_FoundAndEndedAsRunnerLostOnce()
    {
        var run = await NewRunAsync((await NewProjectAsync()).Id);
        await Store.Runs.AddJobAsync(new NewJob { RunId = run.Id, Key = "deploy", JobId = "deploy", Name = "deploy" }, Cancel).DefaultTimeout();
        var job = await Store.Queue.ClaimNextJobAsync("runner-1", Lease, Cancel).DefaultTimeout();
        var recorder = Store.Runs.CreateRecorder(run.Id);
        await recorder.OnEventAsync(StepStarted("deploy", 1), Cancel);
        Time.Advance(TimeSpan.FromMinutes(1));
        await Store.DisposeAsync();

        await using var restarted = await Target.OpenAsync(Time, Cancel).DefaultTimeout();
        var expired = await restarted.Queue.FindExpiredLeasesAsync(Cancel).DefaultTimeout();

        Assert.Equal([new ExpiredLease(run.Id, job!.Id, RunStatus.InProgress, "runner-1", job.LeaseExpiresAt!.Value)], expired);
        Assert.False(await restarted.Queue.EndLostJobAsync(job.Id, "runner-2", cancellationToken: Cancel).DefaultTimeout());
        Assert.True(await restarted.Queue.EndLostJobAsync(job.Id, "runner-1", cancellationToken: Cancel).DefaultTimeout());
        Assert.False(await restarted.Queue.EndLostJobAsync(job.Id, "runner-1", cancellationToken: Cancel).DefaultTimeout());

        var ended = await restarted.Runs.GetJobAsync(job.Id, Cancel).DefaultTimeout();
        Assert.Equal((RunStatus.Completed, Conclusion.Failure, WorkQueue.RunnerLostReason, (string?)null), (ended!.Status, ended.Conclusion, ended.Reason, ended.LeaseOwner));
        var step = Assert.Single(await restarted.Runs.ListStepsAsync(job.Id, Cancel).DefaultTimeout());
        Assert.Equal((RunStatus.Completed, Conclusion.Failure, WorkQueue.RunnerLostReason), (step.Status, step.Conclusion, step.Reason));
        Assert.Empty(await restarted.Queue.FindExpiredLeasesAsync(Cancel).DefaultTimeout());
        Assert.Null(await restarted.Queue.ClaimNextJobAsync("runner-2", Lease, Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task ExpiredJobLease_Retry_QueuedAsNextAttempt()
    {
        var run = await NewRunAsync((await NewProjectAsync()).Id);
        await Store.Runs.AddJobAsync(new NewJob { RunId = run.Id, Key = "test", JobId = "test", Name = "test" }, Cancel).DefaultTimeout();
        var job = await Store.Queue.ClaimNextJobAsync("runner-1", Lease, Cancel).DefaultTimeout();
        Time.Advance(TimeSpan.FromMinutes(1));

        Assert.True(await Store.Queue.EndLostJobAsync(job!.Id, "runner-1", retry: true, Cancel).DefaultTimeout());
        var again = await Store.Queue.ClaimNextJobAsync("runner-2", Lease, Cancel).DefaultTimeout();

        Assert.Equal((job.Id, 2, "runner-2"), (again!.Id, again.Attempt, again.LeaseOwner));
        Assert.False(await Store.Queue.RenewJobLeaseAsync(job.Id, "runner-1", Lease, Cancel).DefaultTimeout());
    }

    [Fact]
    public async Task ExpiredRunLease_EndLostRun_FailsRunningWorkAndKeepsFinishedJobs()
    {
        var run = await NewRunAsync((await NewProjectAsync()).Id);
        await Store.Queue.ClaimNextRunAsync("server-a", Lease, Cancel).DefaultTimeout();
        var recorder = Store.Runs.CreateRecorder(run.Id);
        await recorder.OnEventAsync(JobStarted("build"), Cancel);
        await recorder.OnEventAsync(JobFinished("build", Conclusion.Success), Cancel);
        await recorder.OnEventAsync(JobStarted("test"), Cancel);
        await recorder.OnEventAsync(StepStarted("test", 1), Cancel);
        Time.Advance(TimeSpan.FromMinutes(1));

        var expired = Assert.Single(await Store.Queue.FindExpiredLeasesAsync(Cancel).DefaultTimeout());
        Assert.Equal((run.Id, (long?)null, "server-a"), (expired.RunId, expired.JobId, expired.Owner));
        Assert.True(await Store.Queue.EndLostRunAsync(run.Id, "server-a", requeue: true, Cancel).DefaultTimeout());

        var requeued = await Store.Runs.GetRunAsync(run.Id, Cancel).DefaultTimeout();
        Assert.Equal((RunStatus.Queued, (string?)null), (requeued!.Status, requeued.LeaseOwner));
        var jobs = (await Store.Runs.ListJobsAsync(run.Id, Cancel).DefaultTimeout()).ToDictionary(j => j.Key);
        Assert.Equal((RunStatus.Completed, Conclusion.Success), (jobs["build"].Status, jobs["build"].Conclusion));
        Assert.Equal((RunStatus.Completed, Conclusion.Failure, WorkQueue.RunnerLostReason), (jobs["test"].Status, jobs["test"].Conclusion, jobs["test"].Reason));
        Assert.Equal(WorkQueue.RunnerLostReason, Assert.Single(await Store.Runs.ListStepsAsync(jobs["test"].Id, Cancel).DefaultTimeout()).Reason);

        var reclaimed = await Store.Queue.ClaimNextRunAsync("server-b", Lease, Cancel).DefaultTimeout();
        Assert.Equal(run.Id, reclaimed!.Id);
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await Store.Queue.EndLostRunAsync(run.Id, "server-b", cancellationToken: Cancel).DefaultTimeout());
        var failed = await Store.Runs.GetRunAsync(run.Id, Cancel).DefaultTimeout();
        Assert.Equal((RunStatus.Completed, Conclusion.Failure, WorkQueue.RunnerLostReason), (failed!.Status, failed.Conclusion, failed.Reason));
        var events = await Store.Runs.ListEventsAsync(run.Id, cancellationToken: Cancel).DefaultTimeout();
        Assert.Equal("run.finished", events[^1].Kind);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
    }

    [Fact]
    public async Task ExpiredRunLease_Requeue_FailsOnlyTheJobsThatStartedAStepAndTheStreamGoesOn()
    {
        var run = await NewRunAsync((await NewProjectAsync()).Id);
        var claimed = await Store.Queue.ClaimNextRunAsync("server-a", Lease, Cancel).DefaultTimeout();
        var recorder = Store.Runs.CreateRecorder(run.Id, "server-a");
        await recorder.OnEventAsync(JobStarted("build"), Cancel);
        await recorder.OnEventAsync(StepStarted("build", 1), Cancel);
        await recorder.OnEventAsync(StepFinished("build", 1), Cancel);
        await recorder.OnEventAsync(JobFinished("build", Conclusion.Success), Cancel);
        await recorder.OnEventAsync(JobStarted("deploy"), Cancel);
        await recorder.OnEventAsync(StepStarted("deploy", 1), Cancel);
        await recorder.OnEventAsync(JobStarted("production"), Cancel);
        Time.Advance(TimeSpan.FromMinutes(1));

        Assert.False(await Store.Queue.EndLostRunAsync(run.Id, "server-b", requeue: true, Cancel).DefaultTimeout());
        Assert.True(await Store.Queue.EndLostRunAsync(run.Id, "server-a", requeue: true, Cancel).DefaultTimeout());
        Assert.False(await Store.Queue.EndLostRunAsync(run.Id, "server-a", requeue: true, Cancel).DefaultTimeout());

        var jobs = (await Store.Runs.ListJobsAsync(run.Id, Cancel).DefaultTimeout()).ToDictionary(j => j.Key);
        Assert.Equal((RunStatus.Completed, Conclusion.Success), (jobs["build"].Status, jobs["build"].Conclusion));
        Assert.Equal((RunStatus.Completed, Conclusion.Failure, WorkQueue.RunnerLostReason), (jobs["deploy"].Status, jobs["deploy"].Conclusion, jobs["deploy"].Reason));
        Assert.Equal((RunStatus.InProgress, (Conclusion?)null), (jobs["production"].Status, jobs["production"].Conclusion));
        var built = Assert.Single(await Store.Runs.ListStepsAsync(jobs["build"].Id, Cancel).DefaultTimeout());
        Assert.Equal((RunStatus.Completed, Conclusion.Success), (built.Status, built.Conclusion));
        Assert.Equal(WorkQueue.RunnerLostReason, Assert.Single(await Store.Runs.ListStepsAsync(jobs["deploy"].Id, Cancel).DefaultTimeout()).Reason);
        var events = await Store.Runs.ListEventsAsync(run.Id, cancellationToken: Cancel).DefaultTimeout();
        Assert.Equal(["step.finished", "job.finished", "run.resumed"], events.TakeLast(3).Select(e => e.Kind));
        Assert.Contains("\"lostJobs\":[\"deploy\"]", events[^1].PayloadJson, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"runner lost\"", events[^2].PayloadJson, StringComparison.Ordinal);

        // Another server resumes it: the run keeps its start, the job waiting at its gate starts again on the same row, the stream goes on.
        var resumed = await Store.Queue.ClaimNextRunAsync("server-b", Lease, Cancel).DefaultTimeout();
        Assert.Equal((run.Id, RunStatus.InProgress, claimed!.StartedAt), (resumed!.Id, resumed.Status, resumed.StartedAt));
        var again = Store.Runs.CreateRecorder(run.Id, "server-b");
        await again.OnEventAsync(JobStarted("production"), Cancel);
        await again.OnEventAsync(StepStarted("production", 1), Cancel);
        var production = await Store.Runs.GetJobAsync(run.Id, "production", Cancel).DefaultTimeout();
        Assert.Equal((jobs["production"].Id, RunStatus.InProgress, "server-b"), (production!.Id, production.Status, production.Runner));
        Assert.Equal(3, (await Store.Runs.ListJobsAsync(run.Id, Cancel).DefaultTimeout()).Count);
        var all = await Store.Runs.ListEventsAsync(run.Id, cancellationToken: Cancel).DefaultTimeout();
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Select(e => e.Sequence));
    }

    [Fact]
    public async Task RequeuedRun_CancelledBeforeItResumes_ItsJobWaitingAtAGateEndsWithIt()
    {
        var run = await NewRunAsync((await NewProjectAsync()).Id);
        await Store.Queue.ClaimNextRunAsync("server-a", Lease, Cancel).DefaultTimeout();
        await Store.Runs.CreateRecorder(run.Id, "server-a").OnEventAsync(JobStarted("production"), Cancel);
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await Store.Queue.EndLostRunAsync(run.Id, "server-a", requeue: true, Cancel).DefaultTimeout());

        Assert.True(await Store.Runs.TryCompleteRunAsync(run.Id, RunStatus.Queued, Conclusion.Cancelled, "Cancelled by alice.", Cancel).DefaultTimeout());

        var job = await Store.Runs.GetJobAsync(run.Id, "production", Cancel).DefaultTimeout();
        Assert.Equal((RunStatus.Completed, Conclusion.Cancelled, "Cancelled by alice."), (job!.Status, job.Conclusion, job.Reason));
    }

    private static StepFinishedEvent StepFinished(string job, int number) =>
        new() { RunId = "engine", Sequence = 0, Timestamp = DateTimeOffset.UnixEpoch, JobKey = job, StepNumber = number, Name = $"step {number}", Outcome = Conclusion.Success, Conclusion = Conclusion.Success, Duration = TimeSpan.FromSeconds(1) };

    private static StepStartedEvent StepStarted(string job, int number) =>
        new() { RunId = "engine", Sequence = 0, Timestamp = DateTimeOffset.UnixEpoch, JobKey = job, StepNumber = number, Name = $"step {number}", LogPath = $"/logs/{job}/{number}.log" };

    private static JobStartedEvent JobStarted(string job) =>
        new() { RunId = "engine", Sequence = 0, Timestamp = DateTimeOffset.UnixEpoch, JobKey = job, JobId = job, Name = job };

    private static JobFinishedEvent JobFinished(string job, Conclusion conclusion) =>
        new() { RunId = "engine", Sequence = 0, Timestamp = DateTimeOffset.UnixEpoch, JobKey = job, JobId = job, Name = job, Outcome = conclusion, Conclusion = conclusion, Outputs = new Dictionary<string, string>(), Duration = TimeSpan.FromSeconds(1) };

    public sealed class OnSqlite() : WorkQueueTests(new SqliteStoreTarget());

    public sealed class OnPostgres(PostgresServer server) : WorkQueueTests(new PostgresStoreTarget(server));
}
