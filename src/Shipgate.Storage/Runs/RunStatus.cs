namespace Shipgate.Storage.Runs;

/// <summary>Where a run, job or step is (GitHub's status values); how it ended is its conclusion.</summary>
public enum RunStatus
{
    Queued,
    InProgress,

    /// <summary>Held by a gate: an approval, a wait timer or a freeze window.</summary>
    Waiting,
    Completed,
}
