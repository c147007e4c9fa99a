using System.Diagnostics;
using System.Globalization;
using Shipgate.Engine.Runs;
using Shipgate.Storage;
using Shipgate.Storage.Projects;
using Shipgate.Storage.Runs;

namespace Shipgate.Benchmarks;

/// <summary>
/// Fills a server's store through <see cref="ShipgateStore"/> for the server benchmarks (bench/server):
/// a project, then runs that are either left queued (for a server to drain) or recorded from start to
/// finish as the engine does it (run, job and step started and finished: completed runs with their rows
/// and event streams). Run it while no server uses the store.
/// <c>seed --data DIR [--db CONNECTION] --project NAME --repo PATH --sha SHA --workflow PATH --runs N --state queued|completed</c>.
/// </summary>
internal static class StoreSeeder
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        string Option(string name, string fallback) => options.GetValueOrDefault(name, fallback);
        var count = int.Parse(Option("runs", "10000"), CultureInfo.InvariantCulture);
        var completed = Option("state", "completed") == "completed";
        var workflow = Option("workflow", ".github/workflows/ci.yml");
        var sha = Option("sha", new string('a', 40));
        var watch = Stopwatch.StartNew();

        // Seeding is not what is measured: SQLite commits without waiting for the disk here.
        await using var store = await ShipgateStore.OpenAsync(new StoreOptions
        {
            DataDirectory = Option("data", "."),
            ConnectionString = options.GetValueOrDefault("db"),
            SqliteSynchronous = SqliteSynchronous.Normal,
        });
        var name = Option("project", "seeded");
        var project = await store.Projects.GetByNameAsync(name)
            ?? await store.Projects.CreateAsync(new NewProject { Name = name, Repository = Option("repo", "/nonexistent"), WebhookSecret = "seeded" });
        for (var i = 0; i < count; i++)
        {
            var run = await store.Runs.CreateRunAsync(new NewRun
            {
                ProjectId = project!.Id,
                WorkflowPath = workflow,
                WorkflowName = "seeded",
                Event = "workflow_dispatch",
                Ref = "refs/heads/main",
                Sha = sha,
                Actor = "bench",
            });
            if (completed)
            {
                await RecordAsync(store, run);
            }
        }

        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"seeded {count} {(completed ? "completed" : "queued")} runs of project '{name}' in {watch.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }

    private static async Task RecordAsync(ShipgateStore store, RunRecord run)
    {
        var recorder = store.Runs.CreateRecorder(run.Id);
        await recorder.OnEventAsync(new RunStartedEvent { RunId = "", Sequence = 1, Timestamp = default, WorkflowName = "seeded", RunName = "seeded", EventName = run.Event, Ref = run.Ref, Sha = run.Sha, RunDirectory = "/nonexistent", Jobs = [] });
        await recorder.OnEventAsync(new JobStartedEvent { RunId = "", Sequence = 2, Timestamp = default, JobKey = "build", JobId = "build", Name = "build" });
        await recorder.OnEventAsync(new StepStartedEvent { RunId = "", Sequence = 3, Timestamp = default, JobKey = "build", StepNumber = 1, Name = "Run make" });
        await recorder.OnEventAsync(new StepFinishedEvent { RunId = "", Sequence = 4, Timestamp = default, JobKey = "build", StepNumber = 1, Name = "Run make", Outcome = Conclusion.Success, Conclusion = Conclusion.Success, Duration = TimeSpan.FromSeconds(1) });
        await recorder.OnEventAsync(new JobFinishedEvent { RunId = "", Sequence = 5, Timestamp = default, JobKey = "build", JobId = "build", Name = "build", Outcome = Conclusion.Success, Conclusion = Conclusion.Success, Outputs = new Dictionary<string, string>(), Duration = TimeSpan.FromSeconds(1) });
        await recorder.OnEventAsync(new RunFinishedEvent { RunId = "", Sequence = 6, Timestamp = default, Conclusion = Conclusion.Success, Duration = TimeSpan.FromSeconds(1) });
    }
}
