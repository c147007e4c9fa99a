namespace Shipgate.Engine.Steps;

/// <summary>
/// Runs one step's process tree to its end: lines of stdout and stderr go to <c>onLine</c> as they come;
/// cancelling the token kills the whole tree. The engine turns its own timers into that token, so that
/// it knows a timeout from a cancellation.
/// </summary>
internal interface IStepProcessRunner
{
    Task<StepProcessResult> RunAsync(StepProcessStart start, Action<string> onLine, CancellationToken cancellationToken = default);
}

/// <summary>What to start: the program, its arguments, where, and its whole environment.</summary>
internal sealed record StepProcessStart(string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment);

/// <summary>The exit code, and whether the tree was killed because the token was cancelled.</summary>
internal sealed record StepProcessResult(int ExitCode, bool Killed);
