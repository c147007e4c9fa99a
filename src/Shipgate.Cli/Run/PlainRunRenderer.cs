using System.Globalization;
using Shipgate.Engine.Runs;

namespace Shipgate.Cli.Run;

/// <summary>
/// Renders a run for logs and pipes: one plain line per event, <c>[job/step] text</c>.
/// </summary>
internal sealed class PlainRunRenderer(TextWriter output) : IRunObserver
{
    private readonly Dictionary<(string Job, int Step), string> _stepNames = [];
    private readonly Dictionary<string, string> _jobNames = [];

    public ValueTask OnEventAsync(RunEvent runEvent, CancellationToken cancellationToken = default)
    {
        switch (runEvent)
        {
            case RunStartedEvent started:
                output.WriteLine($"[run] {started.RunName} ({started.EventName} {started.Ref} {Short(started.Sha)})");
                break;
            case JobStartedEvent job:
                _jobNames[job.JobKey] = job.Name;
                output.WriteLine($"[{job.Name}] started");
                break;
            case StepStartedEvent step:
                _stepNames[(step.JobKey, step.StepNumber)] = step.Name;
                output.WriteLine($"[{JobName(step.JobKey)}/{step.Name}] started");
                break;
            case StepOutputEvent line:
                output.WriteLine($"[{JobName(line.JobKey)}/{StepName(line.JobKey, line.StepNumber)}] {line.Line}");
                break;
            case StepAnnotationEvent note:
                output.WriteLine($"[{JobName(note.JobKey)}/{StepName(note.JobKey, note.StepNumber)}] {Annotation(note)}");
                break;
            case StepFinishedEvent step:
                output.WriteLine($"[{JobName(step.JobKey)}/{step.Name}] {Describe(step.Conclusion, step.Outcome, step.Reason)} ({Duration(step.Duration)})");
                break;
            case JobFinishedEvent job:
                output.WriteLine($"[{job.Name}] {Describe(job.Conclusion, job.Outcome, job.Reason)} ({Duration(job.Duration)})");
                break;
            case RunFinishedEvent run:
                output.WriteLine($"[run] {Describe(run.Conclusion, run.Conclusion, run.Reason)} ({Duration(run.Duration)})");
                break;
        }

        return ValueTask.CompletedTask;
    }

    internal static string Describe(Conclusion conclusion, Conclusion outcome, string? reason)
    {
        var text = conclusion.ToString().ToLowerInvariant();
        if (outcome != conclusion)
        {
            text += $" (outcome {outcome.ToString().ToLowerInvariant()}, continue-on-error)";
        }

        return reason is null ? text : $"{text}: {reason}";
    }

    internal static string Duration(TimeSpan duration) => duration.TotalSeconds < 60
        ? duration.TotalSeconds.ToString("0.0s", CultureInfo.InvariantCulture)
        : $"{(int)duration.TotalMinutes}m{duration.Seconds:00}s";

    internal static string Annotation(StepAnnotationEvent note)
    {
        var where = note.File is null ? "" : $" {note.File}{(note.Line is null ? "" : $":{note.Line}")}{(note.Column is null ? "" : $":{note.Column}")}";
        var title = note.Title is null ? "" : $" {note.Title}:";
        return $"{note.Level.ToString().ToLowerInvariant()}{where}:{title} {note.Message}";
    }

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;

    private string JobName(string key) => _jobNames.TryGetValue(key, out var name) ? name : key;

    private string StepName(string job, int step) => _stepNames.TryGetValue((job, step), out var name) ? name : $"step {step}";
}
