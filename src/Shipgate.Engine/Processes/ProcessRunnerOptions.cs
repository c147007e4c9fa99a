namespace Shipgate.Engine.Processes;

/// <summary>Limits of <see cref="ProcessRunner"/>. The defaults suit steps; tests shorten the periods.</summary>
public sealed class ProcessRunnerOptions
{
    /// <summary>
    /// The longest line handed to the callback, in characters (default 64 Ki). A longer line is cut into
    /// <see cref="OutputLine.IsPartial"/> pieces, so that a step printing gigabytes without a newline never grows memory.
    /// </summary>
    public int MaxLineLength { get; init; } = 64 * 1024;

    /// <summary>
    /// How long a tree has between SIGTERM and SIGKILL on timeout or cancellation (default 5 s; GitHub's runner
    /// waits 7.5 s, shorter keeps Ctrl-C responsive while still letting tools clean up).
    /// </summary>
    public TimeSpan KillGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long to keep reading output after the main process exited (default 1 s). Output is normally complete at
    /// once; it only waits when a background process of the step still holds the pipes. After that the pipes are
    /// drained in the background and discarded, so that a server left running does not die of SIGPIPE.
    /// </summary>
    public TimeSpan OutputDrainTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Start programs through util-linux's setsid program even where posix_spawn can be used (for tests).</summary>
    internal bool UseSetsidProgram { get; init; }
}
