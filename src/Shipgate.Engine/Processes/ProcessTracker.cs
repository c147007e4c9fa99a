using System.Globalization;

namespace Shipgate.Engine.Processes;

/// <summary>
/// Finds the processes that a job's steps left running in the background, to kill them when the job ends, as
/// GitHub's runner does ("Cleaning up orphan processes"). Each process run with this tracker gets
/// <c>RUNNER_TRACKING_ID</c> in its environment; its children inherit it, even when they daemonize and leave the
/// step's process group. A script can opt a daemon out, as on GitHub, by clearing <c>RUNNER_TRACKING_ID</c>.
/// </summary>
/// <remarks>
/// A step that exits normally keeps its background processes (a server started with <c>&amp;</c> serves the next
/// steps); a step that times out or is cancelled loses its whole tree at once. Create one tracker per job.
/// </remarks>
public sealed class ProcessTracker
{
    private readonly string _prefix = $"shipgate_{Guid.NewGuid():N}_";
    private int _runs;

    /// <summary>Every tracking id of this job starts with this.</summary>
    public string TrackingPrefix => _prefix;

    internal string NextTrackingId() =>
        _prefix + Interlocked.Increment(ref _runs).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Kills every process still alive that was started by a run of this tracker: SIGTERM, <paramref name="grace"/>,
    /// then SIGKILL. Returns how many processes were signalled (0 when nothing was left behind).
    /// </summary>
    public async Task<int> KillRemainingAsync(TimeSpan grace, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (signalled, _) = await ProcessTreeKiller.KillAsync(0, _prefix, grace, timeProvider ?? TimeProvider.System)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return signalled;
    }
}
