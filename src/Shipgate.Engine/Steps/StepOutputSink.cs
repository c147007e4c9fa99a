using Shipgate.Engine.Commands;
using Shipgate.Engine.Logging;
using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Steps;

/// <summary>
/// Where one step's lines go: to its log file on disk (streamed) and to the observer, masked. Composite
/// actions write their inner steps here too, so a composite step has one log. The log keeps at most
/// <see cref="RunEngineOptions.MaxStepLogBytes"/>; what comes after is counted, dropped, and reported at the end.
/// </summary>
internal sealed class StepOutputSink(RunContext run, string jobKey, int stepNumber, StepLogWriter log) : IDisposable
{
    private long _written;
    private long _droppedBytes;
    private long _droppedLines;

    public string LogPath => log.Path;

    /// <summary>Writes a line that the command processor has already masked.</summary>
    public void WriteMaskedLine(string maskedLine)
    {
        if (Admit(maskedLine))
        {
            Write(maskedLine);
        }
    }

    private void Write(string maskedLine)
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
        if (Admit(annotation.Message))
        {
            Record(annotation);
        }
    }

    private void Record(WorkflowAnnotation annotation)
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

    public void Dispose()
    {
        if (Interlocked.Read(ref _droppedLines) is var lines and > 0)
        {
            Record(new WorkflowAnnotation(
                AnnotationLevel.Warning,
                $"The step's log reached its limit of {run.Options.MaxStepLogBytes} bytes: the last {_droppedBytes} bytes ({lines} lines) of its output were dropped."));
        }

        log.Dispose();
    }

    /// <summary>True while the log is under its bound; past it, counts what is dropped (stdout and stderr may write at once).</summary>
    private bool Admit(string line)
    {
        var size = System.Text.Encoding.UTF8.GetByteCount(line) + 1;
        if (Interlocked.Add(ref _written, size) <= run.Options.MaxStepLogBytes)
        {
            return true;
        }

        Interlocked.Add(ref _droppedBytes, size);
        Interlocked.Increment(ref _droppedLines);
        return false;
    }
}
