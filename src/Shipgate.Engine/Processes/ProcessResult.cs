namespace Shipgate.Engine.Processes;

/// <summary>The end of a process run. Expected failures (non-zero exit, timeout, cancellation, start failure) are values.</summary>
/// <param name="Outcome">Exited, timed out, cancelled or failed to start. A timeout is never reported as a cancellation.</param>
/// <param name="ExitCode">
/// The exit code; 128 + N when the process died of signal N (so 143 after SIGTERM, 137 after SIGKILL). Null when it never started.
/// </param>
/// <param name="ProcessId">The child's pid, which is also its process group and session id; 0 when it never started.</param>
/// <param name="ForcedKill">True when some process of the tree outlived SIGTERM and the grace period and got SIGKILL.</param>
/// <param name="Error">One sentence saying why the process could not start; null otherwise.</param>
public sealed record ProcessResult(ProcessOutcome Outcome, int? ExitCode, int ProcessId, bool ForcedKill = false, string? Error = null)
{
    public bool Succeeded => Outcome == ProcessOutcome.Exited && ExitCode == 0;

    internal static ProcessResult StartFailure(string error) => new(ProcessOutcome.FailedToStart, null, 0, Error: error);
}
