using BenchmarkDotNet.Attributes;
using Shipgate.Engine.Runs;
using Shipgate.Storage;
using Shipgate.Storage.Runs;
using Shipgate.Storage.Tests.Infrastructure;

namespace Shipgate.Benchmarks;

/// <summary>
/// Durable state transitions of the store (issue 3: at least 2,000 per second on SQLite): each
/// operation is one compare-and-set that commits before it returns. <c>Transition</c> moves a job
/// between in progress and waiting; <c>RecordStep</c> is what the engine's step started/finished event
/// costs (row upsert and event append in one transaction); <c>ConcurrentTransitions</c> is
/// <c>Transition</c> from 64 jobs at once (a server runs up to 64 runs at once), each awaiting its own
/// commit, reported per transition; <c>DrainRuns</c> claims and records 200 queued one-step runs from
/// start to finish (reported per run). PostgreSQL is a throwaway cluster with fsync on, like a
/// production server.
/// Run: <c>dotnet run -c Release --project bench/Shipgate.Benchmarks -- --filter '*StoreBenchmarks*' --job short</c>.
/// </summary>
public class StoreBenchmarks
{
    private const int RunsPerDrain = 200;
    private const int ConcurrentJobs = 64;
    private const int TransitionsPerJob = 10;

    private PostgresServer? _postgres;
    private string _dataDirectory = null!;
    private ShipgateStore _store = null!;
    private long _jobId;
    private long _runId;
    private bool _waiting;
    private int _step;
    private RunEventRecorder _recorder = null!;
    private long[] _concurrentJobIds = [];

    [Params("sqlite-full", "sqlite-normal", "postgres")]
    public string Store { get; set; } = "sqlite-full";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _dataDirectory = Directory.CreateTempSubdirectory("shipgate-bench-").FullName;
        string? connection = null;
        if (Store == "postgres")
        {
            _postgres = new PostgresServer(durable: true);
            await _postgres.InitializeAsync();
            connection = await _postgres.CreateSchemaAsync();
        }

        _store = await ShipgateStore.OpenAsync(new StoreOptions
        {
            DataDirectory = _dataDirectory,
            ConnectionString = connection,
            SqliteSynchronous = Store == "sqlite-normal" ? SqliteSynchronous.Normal : SqliteSynchronous.Full,
        });
        var project = await _store.Projects.CreateAsync(new() { Name = "bench", Repository = "/bench" });
        var run = await _store.Runs.CreateRunAsync(new NewRun { ProjectId = project!.Id, WorkflowPath = "ci.yml", WorkflowName = "CI", Event = "push", Ref = "refs/heads/main", Sha = "abc", Actor = "bench" });
        _runId = run.Id;
        var job = await _store.Runs.AddJobAsync(new NewJob { RunId = run.Id, Key = "build", JobId = "build", Name = "build" });
        _jobId = job!.Id;
        await _store.Runs.TryTransitionJobAsync(_jobId, RunStatus.Queued, RunStatus.InProgress);
        _concurrentJobIds = new long[ConcurrentJobs];
        for (var i = 0; i < ConcurrentJobs; i++)
        {
            var concurrent = await _store.Runs.AddJobAsync(new NewJob { RunId = run.Id, Key = $"job-{i}", JobId = $"job-{i}", Name = $"job {i}" });
            _concurrentJobIds[i] = concurrent!.Id;
            await _store.Runs.TryTransitionJobAsync(concurrent.Id, RunStatus.Queued, RunStatus.InProgress);
        }

        _recorder = _store.Runs.CreateRecorder(_runId);
        await _recorder.OnEventAsync(new JobStartedEvent { RunId = "", Sequence = 0, Timestamp = default, JobKey = "step-job", JobId = "step-job", Name = "step-job" });
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Benchmark]
    public async Task Transition()
    {
        var (from, to) = _waiting ? (RunStatus.Waiting, RunStatus.InProgress) : (RunStatus.InProgress, RunStatus.Waiting);
        if (!await _store.Runs.TryTransitionJobAsync(_jobId, from, to))
        {
            throw new InvalidOperationException("The transition did not happen.");
        }

        _waiting = !_waiting;
    }

    [Benchmark(OperationsPerInvoke = ConcurrentJobs * TransitionsPerJob)]
    public Task ConcurrentTransitions() => Task.WhenAll(_concurrentJobIds.Select(jobId => Task.Run(async () =>
    {
        for (var i = 0; i < TransitionsPerJob; i++)
        {
            var (from, to) = i % 2 == 0 ? (RunStatus.InProgress, RunStatus.Waiting) : (RunStatus.Waiting, RunStatus.InProgress);
            if (!await _store.Runs.TryTransitionJobAsync(jobId, from, to))
            {
                throw new InvalidOperationException("The transition did not happen.");
            }
        }
    })));

    [Benchmark]
    public async Task RecordStep()
    {
        var number = ++_step;
        await _recorder.OnEventAsync(new StepStartedEvent { RunId = "", Sequence = 0, Timestamp = default, JobKey = "step-job", StepNumber = number, Name = "step" });
    }

    [Benchmark(OperationsPerInvoke = RunsPerDrain)]
    public async Task DrainRuns()
    {
        var project = (await _store.Projects.GetByNameAsync("bench"))!;
        for (var i = 0; i < RunsPerDrain; i++)
        {
            await _store.Runs.CreateRunAsync(new NewRun { ProjectId = project.Id, WorkflowPath = "one-step.yml", WorkflowName = "one step", Event = "push", Ref = "refs/heads/main", Sha = "abc", Actor = "bench" });
        }

        while (await _store.Queue.ClaimNextRunAsync("bench", TimeSpan.FromMinutes(1)) is { } run)
        {
            var recorder = _store.Runs.CreateRecorder(run.Id);
            await recorder.OnEventAsync(new RunStartedEvent { RunId = "", Sequence = 1, Timestamp = default, WorkflowName = "one step", RunName = "one step", EventName = "push", Ref = run.Ref, Sha = run.Sha, RunDirectory = "/runs", Jobs = [] });
            await recorder.OnEventAsync(new JobStartedEvent { RunId = "", Sequence = 2, Timestamp = default, JobKey = "job", JobId = "job", Name = "job" });
            await recorder.OnEventAsync(new StepStartedEvent { RunId = "", Sequence = 3, Timestamp = default, JobKey = "job", StepNumber = 1, Name = "step" });
            await recorder.OnEventAsync(new StepFinishedEvent { RunId = "", Sequence = 4, Timestamp = default, JobKey = "job", StepNumber = 1, Name = "step", Outcome = Conclusion.Success, Conclusion = Conclusion.Success, Duration = TimeSpan.Zero });
            await recorder.OnEventAsync(new JobFinishedEvent { RunId = "", Sequence = 5, Timestamp = default, JobKey = "job", JobId = "job", Name = "job", Outcome = Conclusion.Success, Conclusion = Conclusion.Success, Outputs = new Dictionary<string, string>(), Duration = TimeSpan.Zero });
            await recorder.OnEventAsync(new RunFinishedEvent { RunId = "", Sequence = 6, Timestamp = default, Conclusion = Conclusion.Success, Duration = TimeSpan.Zero });
        }
    }
}
