using Shipgate.Engine.Commands;
using Shipgate.Engine.Logging;
using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Steps;

/// <summary>
/// Where one step's lines go: to its log file on disk (streamed) and to the observer, masked. Composite
/// actions write their inner steps here too, so a composite step has one log.
/// </summary>
internal sealed class StepOutputSink(RunContext run, string jobKey, int stepNumber, StepLogWriter log) : IDisposable
{
    public string LogPath => log.Path;

    /// <summary>Writes a line that the command processor has already masked.</summary>
    public void WriteMaskedLine(string maskedLine)
    {
        log.WriteLine(maskedLine);
        run.Events.Post((sequence, time) => new StepOutputEvent
        {
            RunId = run.RunId,
            Sequence = sequence,
            Timestamp = time,
            JobKey = jobKey,
            StepNumber = stepNumber,
            Line = maskedLine,
        });
    }

    /// <summary>Writes a line of the engine's or an action's own (masked here).</summary>
    public void WriteLine(string line) => WriteMaskedLine(run.Masker.Mask(line));

    /// <summary>Records an annotation: in the log as GitHub prints it (<c>##[error]message</c>) and as an event.</summary>
    public void Annotate(WorkflowAnnotation annotation)
    {
        var masked = annotation with
        {
            Message = run.Masker.Mask(annotation.Message),
            Title = annotation.Title is null ? null : run.Masker.Mask(annotation.Title),
        };
        log.WriteLine(masked.ToLogLine());
        run.Events.Post((sequence, time) => new StepAnnotationEvent
        {
            RunId = run.RunId,
            Sequence = sequence,
            Timestamp = time,
            JobKey = jobKey,
            StepNumber = stepNumber,
            Level = masked.Level,
            Message = masked.Message,
            Title = masked.Title,
            File = masked.File,
            Line = masked.Line,
            Column = masked.Column,
        });
    }

    public void Annotate(AnnotationLevel level, string message) => Annotate(new WorkflowAnnotation(level, message));

    public void Dispose() => log.Dispose();
}
