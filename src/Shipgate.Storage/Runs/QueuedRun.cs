namespace Shipgate.Storage.Runs;

/// <summary>
/// A run just queued, and what it did to its concurrency group: the queued runs it replaced (already
/// completed as cancelled) and, with cancel-in-progress, the group's running runs that its host must
/// now cancel (they are still running; the store cannot stop a process).
/// </summary>
public sealed record QueuedRun(RunRecord Run, IReadOnlyList<long> Replaced, IReadOnlyList<long> CancelRunning)
{
    /// <summary>GitHub's reason for a run cancelled by a newer one in its concurrency group.</summary>
    public static string CancelReason(string group) => $"Canceling since a higher priority waiting request for '{group}' exists";
}
