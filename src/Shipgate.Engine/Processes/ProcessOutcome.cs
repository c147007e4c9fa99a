namespace Shipgate.Engine.Processes;

/// <summary>How a process run ended.</summary>
public enum ProcessOutcome
{
    /// <summary>The process exited by itself; <see cref="ProcessResult.ExitCode"/> holds its code.</summary>
    Exited,

    /// <summary>Our timer (<see cref="ProcessSpec.Timeout"/>) fired first; the whole tree was killed.</summary>
    TimedOut,

    /// <summary>The caller's token was cancelled; the whole tree was killed.</summary>
    Cancelled,

    /// <summary>The process could not be started (missing program or working directory); see <see cref="ProcessResult.Error"/>.</summary>
    FailedToStart,
}
