namespace Shipgate.Engine.Commands;

/// <summary>
/// An error, warning or notice raised by a step (<c>::error file=a.cs,line=3::message</c>) or by Shipgate about
/// a step (a command it could not process). Message and title are already masked.
/// </summary>
/// <param name="Level">Error, warning or notice.</param>
/// <param name="Message">The message, masked.</param>
/// <param name="File">The file, relative to the workspace when it lies inside it.</param>
/// <param name="Line">The first line, 1-based.</param>
/// <param name="Column">The first column.</param>
/// <param name="EndLine">The last line.</param>
/// <param name="EndColumn">The last column.</param>
/// <param name="Title">A custom title, masked.</param>
public sealed record WorkflowAnnotation(
    AnnotationLevel Level,
    string Message,
    string? File = null,
    int? Line = null,
    int? Column = null,
    int? EndLine = null,
    int? EndColumn = null,
    string? Title = null)
{
    /// <summary>The annotation as GitHub prints it in a raw log: <c>##[error]message</c>.</summary>
    public string ToLogLine() => $"##[{Level.ToString().ToLowerInvariant()}]{Message}";
}
