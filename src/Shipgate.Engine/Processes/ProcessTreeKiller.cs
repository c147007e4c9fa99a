namespace Shipgate.Engine.Processes;

/// <summary>
/// Ends a tree of processes: SIGTERM to the group and to every member found in /proc, a grace period for them
/// to clean up, then SIGKILL to whatever is left, repeated until nothing of the tree lives (a tree may fork while
/// it is being killed).
/// </summary>
internal static class ProcessTreeKiller
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private const int KillRounds = 50;

    /// <summary>Returns the number of processes that were signalled and whether SIGKILL was needed.</summary>
    /// <param name="processGroup">The group to kill (the step's pid), or 0 for none.</param>
    /// <param name="trackingPrefix">Kill also the processes whose RUNNER_TRACKING_ID starts with this; null for none.</param>
    /// <param name="grace">Time between SIGTERM and SIGKILL.</param>
    /// <param name="timeProvider">The clock of the grace period.</param>
    public static async Task<(int Signalled, bool Forced)> KillAsync(
        int processGroup, string? trackingPrefix, TimeSpan grace, TimeProvider timeProvider)
    {
        var members = Signal(processGroup, trackingPrefix, NativeMethods.SigTerm);
        if (members.Count == 0)
        {
            return (0, false);
        }

        var signalled = new HashSet<int>(members);
        var start = timeProvider.GetTimestamp();
        while (timeProvider.GetElapsedTime(start) < grace)
        {
            await Task.Delay(PollInterval, timeProvider).ConfigureAwait(false);
            var alive = ProcessTable.FindTree(processGroup, trackingPrefix);
            if (alive.Count == 0)
            {
                return (signalled.Count, false);
            }

            // Children forked after the first SIGTERM get theirs too.
            foreach (var pid in alive)
            {
                if (signalled.Add(pid))
                {
                    NativeMethods.Kill(pid, NativeMethods.SigTerm);
                }
            }
        }

        for (var round = 0; round < KillRounds; round++)
        {
            var alive = Signal(processGroup, trackingPrefix, NativeMethods.SigKill);
            if (alive.Count == 0)
            {
                break;
            }

            signalled.UnionWith(alive);
            await Task.Delay(TimeSpan.FromMilliseconds(20), timeProvider).ConfigureAwait(false);
        }

        return (signalled.Count, true);
    }

    private static List<int> Signal(int processGroup, string? trackingPrefix, int signal)
    {
        if (processGroup > 0)
        {
            // One call reaches the whole group at once, even processes forked since the last /proc scan.
            NativeMethods.Kill(-processGroup, signal);
        }

        var members = ProcessTable.FindTree(processGroup, trackingPrefix);
        foreach (var pid in members)
        {
            NativeMethods.Kill(pid, signal);
        }

        return members;
    }
}
