using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Steps;

/// <summary>
/// Where one step's lines go: masked, to its log file on disk and to the observer. Composite actions
/// write their inner steps here too, so a composite step has one log.
/// </summary>
internal sealed class StepOutputSink(RunContext run, string jobKey, int stepNumber, StepLogFile log) : IDisposable
{
    public string LogPath => log.Path;

    public int StepNumber => stepNumber;

    /// <summary>Writes a line as the step printed it (masked here).</summary>
    public void WriteLine(string line)
    {
        var masked = run.Masker.Mask(line);
        log.WriteLine(masked);
        run.Events.Post((sequence, time) => new StepOutputEvent
        {
            RunId = run.RunId,
            Sequence = sequence,
            Timestamp = time,
            JobKey = jobKey,
            StepNumber = stepNumber,
            Line = masked,
        });
    }

    /// <summary>Records an annotation, in the log as GitHub prints it (<c>Error: message</c>) and as an event.</summary>
    public void Annotate(AnnotationLevel level, string message, string? title = null, string? file = null, int? line = null, int? column = null)
    {
        var masked = run.Masker.Mask(message);
        var maskedTitle = title is null ? null : run.Masker.Mask(title);
        log.WriteLine($"{level}: {(maskedTitle is null ? "" : maskedTitle + ": ")}{masked}");
        run.Events.Post((sequence, time) => new StepAnnotationEvent
        {
            RunId = run.RunId,
            Sequence = sequence,
            Timestamp = time,
            JobKey = jobKey,
            StepNumber = stepNumber,
            Level = level,
            Message = masked,
            Title = maskedTitle,
            File = file,
            Line = line,
            Column = column,
        });
    }

    public void Dispose() => log.Dispose();
}
