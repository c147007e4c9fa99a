using System.Diagnostics;
using Shipgate.Engine.Runs;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Shipgate.Cli.Run;

/// <summary>
/// Live progress on a terminal: the job graph as a tree, each job's and step's state and duration,
/// redrawn ten times a second. Step output goes to the logs; the failed steps' last lines are shown
/// at the end, which is what a person needs first when a run fails.
/// </summary>
internal sealed class LiveRunRenderer(IAnsiConsole console) : IRunObserver, IAsyncDisposable
{
    private const int TailLines = 15;

    private readonly Lock _gate = new();
    private readonly List<JobView> _jobs = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<string> _notes = [];
    private string _title = "run";
    private RunFinishedEvent? _finished;
    private Task? _loop;
    private volatile bool _done;
    private TaskCompletionSource? _pausedAck;
    private TaskCompletionSource? _resume;

    public void Start() => _loop = Task.Run(LoopAsync);

    public ValueTask OnEventAsync(RunEvent runEvent, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Apply(runEvent);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Stops redrawing while <paramref name="ask"/> talks to the person at the terminal.</summary>
    public async Task<T> PauseWhileAsync<T>(Func<Task<T>> ask)
    {
        var acknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _resume = resume;
        _pausedAck = acknowledged;
        await acknowledged.Task.ConfigureAwait(false);
        try
        {
            return await ask().ConfigureAwait(false);
        }
        finally
        {
            _pausedAck = null;
            resume.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _done = true;
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        PrintFailures();
    }

    private async Task LoopAsync()
    {
        while (!_done)
        {
            await console.Live(View()).AutoClear(false).Overflow(VerticalOverflow.Ellipsis).StartAsync(async context =>
            {
                while (!_done && _pausedAck is null)
                {
                    context.UpdateTarget(View());
                    context.Refresh();
                    await Task.Delay(100).ConfigureAwait(false);
                }

                context.UpdateTarget(View());
                context.Refresh();
            }).ConfigureAwait(false);

            if (_pausedAck is { } acknowledged && _resume is { } resume)
            {
                acknowledged.TrySetResult();
                await resume.Task.ConfigureAwait(false);
            }
        }
    }

    private void Apply(RunEvent runEvent)
    {
        switch (runEvent)
        {
            case RunStartedEvent started:
                _title = $"{Markup.Escape(started.RunName)} [grey]({Markup.Escape(started.EventName)} {Markup.Escape(started.Ref)})[/]";
                foreach (var job in started.Jobs)
                {
                    _jobs.Add(new JobView(job.JobId, job.JobId, job.Name) { Needs = job.Needs });
                }

                break;
            case JobStartedEvent started:
                var planned = _jobs.FirstOrDefault(j => j.Key == started.JobId && j.StartedAt is null && j.Conclusion is null);
                var view = planned ?? InsertLeg(started.JobId, started.JobKey, started.Name);
                view.Key = started.JobKey;
                view.Name = started.Name;
                view.StartedAt = _clock.Elapsed;
                break;
            case JobFinishedEvent finished:
                var done = _jobs.FirstOrDefault(j => j.Key == finished.JobKey) ?? InsertLeg(finished.JobId, finished.JobKey, finished.Name);
                done.Name = finished.Name;
                done.Conclusion = finished.Conclusion;
                done.Outcome = finished.Outcome;
                done.Reason = finished.Reason;
                done.Duration = finished.Duration;
                break;
            case StepStartedEvent started:
                Job(started.JobKey)?.Steps.Add(new StepView(started.StepNumber, started.Name) { StartedAt = _clock.Elapsed, LogPath = started.LogPath });
                break;
            case StepFinishedEvent finished when Job(finished.JobKey) is { } job:
                var step = job.Steps.FirstOrDefault(s => s.Number == finished.StepNumber);
                if (step is null)
                {
                    step = new StepView(finished.StepNumber, finished.Name);
                    job.Steps.Add(step);
                }

                step.Conclusion = finished.Conclusion;
                step.Outcome = finished.Outcome;
                step.Reason = finished.Reason;
                step.Duration = finished.Duration;
                break;
            case StepAnnotationEvent note:
                _notes.Add($"{Job(note.JobKey)?.Name ?? note.JobKey}: {PlainRunRenderer.Annotation(note)}");
                break;
            case RunFinishedEvent finished:
                _finished = finished;
                break;
        }
    }

    private JobView InsertLeg(string jobId, string key, string name)
    {
        // Matrix legs and reusable-workflow jobs appear next to their planned job, which they replace.
        var at = _jobs.FindLastIndex(j => j.JobId == jobId);
        var view = new JobView(jobId, key, name);
        if (at >= 0 && _jobs[at].StartedAt is null && _jobs[at].Conclusion is null && _jobs[at].Key == jobId)
        {
            _jobs[at] = view with { Needs = _jobs[at].Needs };
            return _jobs[at];
        }

        _jobs.Insert(at < 0 ? _jobs.Count : at + 1, view);
        return view;
    }

    private JobView? Job(string key) => _jobs.FirstOrDefault(j => j.Key == key);

    private IRenderable View()
    {
        lock (_gate)
        {
            var tree = new Tree(_title);
            foreach (var job in _jobs)
            {
                var needs = job.StartedAt is null && job.Conclusion is null && job.Needs.Count > 0
                    ? $" [grey](needs {Markup.Escape(string.Join(", ", job.Needs))})[/]"
                    : "";
                var node = tree.AddNode($"{Icon(job.Conclusion, job.StartedAt is not null)} [bold]{Markup.Escape(job.Name)}[/]{needs} {Time(job.StartedAt, job.Duration)}{Reason(job.Reason)}");

                // A finished job that succeeded folds its steps away; the failed ones stay visible.
                var showSteps = job.Conclusion is null || job.Conclusion == Conclusion.Failure;
                foreach (var step in job.Steps)
                {
                    if (showSteps || step.Conclusion == Conclusion.Failure)
                    {
                        node.AddNode($"{Icon(step.Conclusion, step.StartedAt is not null)} {Markup.Escape(step.Name)} {Time(step.StartedAt, step.Duration)}{Reason(step.Reason)}");
                    }
                }
            }

            if (_finished is { } run)
            {
                tree.AddNode($"{Icon(run.Conclusion, started: true)} [bold]run {run.Conclusion.ToString().ToLowerInvariant()}[/] [grey]{PlainRunRenderer.Duration(run.Duration)}[/]{Reason(run.Reason)}");
            }

            return tree;
        }
    }

    private string Time(TimeSpan? startedAt, TimeSpan? duration) => duration is { } d
        ? $"[grey]{PlainRunRenderer.Duration(d)}[/]"
        : startedAt is { } s ? $"[grey]{PlainRunRenderer.Duration(_clock.Elapsed - s)}[/]" : "";

    private static string Reason(string? reason) => reason is null ? "" : $" [grey]— {Markup.Escape(reason)}[/]";

    private static string Icon(Conclusion? conclusion, bool started) => conclusion switch
    {
        Conclusion.Success => "[green]✓[/]",
        Conclusion.Failure => "[red]✗[/]",
        Conclusion.Cancelled => "[yellow]⊘[/]",
        Conclusion.Skipped => "[grey]–[/]",
        _ => started ? "[blue]●[/]" : "[grey]○[/]",
    };

    private void PrintFailures()
    {
        foreach (var note in _notes)
        {
            console.MarkupLine($"[yellow]{Markup.Escape(note)}[/]");
        }

        foreach (var job in _jobs)
        {
            foreach (var step in job.Steps.Where(s => s.Outcome == Conclusion.Failure && s.LogPath is not null && File.Exists(s.LogPath)))
            {
                console.MarkupLine($"[red]── {Markup.Escape(job.Name)} / {Markup.Escape(step.Name)}[/] [grey]{Markup.Escape(step.LogPath!)}[/]");
                foreach (var line in LastLines(step.LogPath!, TailLines))
                {
                    console.WriteLine(line);
                }
            }
        }
    }

    private static IEnumerable<string> LastLines(string path, int count)
    {
        // Logs can be huge: read only the end of the file.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Max(0, stream.Length - (64 * 1024)), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Skip(Math.Max(0, lines.Length - count));
    }

    private sealed record JobView(string JobId, string Key, string Name)
    {
        public string Key { get; set; } = Key;

        public string Name { get; set; } = Name;

        public IReadOnlyList<string> Needs { get; init; } = [];

        public TimeSpan? StartedAt { get; set; }

        public Conclusion? Conclusion { get; set; }

        public Conclusion? Outcome { get; set; }

        public string? Reason { get; set; }

        public TimeSpan? Duration { get; set; }

        public List<StepView> Steps { get; } = [];
    }

    private sealed class StepView(int number, string name)
    {
        public int Number { get; } = number;

        public string Name { get; } = name;

        public TimeSpan? StartedAt { get; set; }

        public string? LogPath { get; set; }

        public Conclusion? Conclusion { get; set; }

        public Conclusion? Outcome { get; set; }

        public string? Reason { get; set; }

        public TimeSpan? Duration { get; set; }
    }
}
