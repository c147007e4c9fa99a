namespace Shipgate.Engine.Processes;

/// <summary>
/// One line printed by a child process, without its line terminator (<c>\n</c>, <c>\r\n</c> or a lone <c>\r</c>).
/// </summary>
/// <param name="Stream">The pipe the line came from.</param>
/// <param name="Text">The text, at most <see cref="ProcessRunnerOptions.MaxLineLength"/> characters.</param>
/// <param name="IsPartial">
/// True when the line was longer than <see cref="ProcessRunnerOptions.MaxLineLength"/> and was cut: the next line
/// of the same <paramref name="Stream"/> continues this one. A partial line is never a workflow command.
/// </param>
public readonly record struct OutputLine(OutputStream Stream, string Text, bool IsPartial = false);
