using Shipgate.Delivery.Edge;
using Shipgate.Edge.State;
using Shipgate.Edge.Supervisor;

namespace Shipgate.Edge.Hosting;

/// <summary>
/// Attaches to the local edge of a state directory, or starts <c>shipgate edge</c> as a detached process of its own
/// (its own session, stdio to <c>STATE/edge.log</c>, SIGINT and SIGTERM at their defaults), which outlives the caller.
/// </summary>
public static class EdgeLauncher
{
    private const int LogLinesShown = 5;

    /// <summary>
    /// The running edge's connection, starting one first when none answers. Throws <see cref="EdgeStartException"/>
    /// (one sentence and the end of edge.log).
    /// </summary>
    public static async Task<EdgeConnection> EnsureRunningAsync(EdgeLaunchOptions options, CancellationToken cancellationToken = default)
    {
        var state = Path.GetFullPath(options.StateDirectory);
        if (await TryAttachAsync(state, cancellationToken).ConfigureAwait(false) is { } running)
        {
            return running;
        }

        if (!OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(state, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var log = Path.Combine(state, "edge.log");
        var shipgate = options.ShipgateCommand ?? [Environment.ProcessPath ?? "shipgate"];
        List<string> edge = [.. shipgate, "edge", "--listen", options.Listen, "--admin", "unix:" + Path.Combine(state, "admin.sock"), "--state", state];
        if (!options.Isolate)
        {
            edge.AddRange(["--isolation", "none"]);
        }

        foreach (var hidden in options.Hidden)
        {
            edge.AddRange(["--hide", Path.GetFullPath(hidden)]);
        }

        // Its output appended to edge.log; env puts SIGINT and SIGTERM back to their defaults (a caller started in the
        // background ignores SIGINT, which a child would inherit); setsid gives the edge a session of its own, so
        // Ctrl-C at the caller's terminal and the caller's exit leave it running.
        using var process = InstanceLauncher.StartAppending(log, state, ["env", "--default-signal=INT,TERM", "setsid", .. edge], environment: null);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.StartTimeout);
        try
        {
            while (true)
            {
                if (process.HasExited)
                {
                    throw new EdgeStartException($"The edge did not start (exit code {process.ExitCode}): {LastLines(log)}");
                }

                if (await TryAttachAsync(state, deadline.Token).ConfigureAwait(false) is { } started)
                {
                    return started;
                }

                await Task.Delay(50, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill();
            throw new EdgeStartException($"The edge did not answer within {options.StartTimeout.TotalSeconds:0} s: {LastLines(log)}");
        }
    }

    /// <summary>The connection of the edge whose <c>edge.json</c> names a living process that answers <c>GET /v1/info</c>; else null.</summary>
    public static async Task<EdgeConnection?> TryAttachAsync(string stateDirectory, CancellationToken cancellationToken = default)
    {
        if (EdgeStateFile.ReadDiscovery(stateDirectory) is not { } discovery || ProcessStartTime.Of(discovery.Pid) is null)
        {
            return null;
        }

        var connection = new EdgeConnection(discovery.Admin, discovery.TokenFile);
        using var client = new EdgeClient(connection);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            return (await client.GetInfoAsync(timeout.Token).ConfigureAwait(false)).Pid == discovery.Pid ? connection : null;
        }
        catch (Exception ex)
            when (ex is EdgeUnavailableException or EdgeApiException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>
    /// Stops the edge of a state directory (<c>POST /v1/stop</c>: it drains and stops every instance, then exits) and
    /// waits until its process is gone. Returns its pid, or null when none runs; throws <see cref="TimeoutException"/>.
    /// </summary>
    public static async Task<int?> StopAsync(string stateDirectory, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (await TryAttachAsync(stateDirectory, cancellationToken).ConfigureAwait(false) is not { } connection)
        {
            return null;
        }

        using var client = new EdgeClient(connection);
        var pid = (await client.GetInfoAsync(cancellationToken).ConfigureAwait(false)).Pid;
        var startTime = ProcessStartTime.Of(pid);
        await client.StopAsync(cancellationToken).ConfigureAwait(false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (startTime is { } t && ProcessStartTime.IsSame(pid, t))
            {
                await Task.Delay(50, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The edge (pid {pid}) did not stop within {timeout.TotalSeconds:0} s.");
        }

        return pid;
    }

    private static string LastLines(string log)
    {
        var lines = InstanceLog.Tail(log, 50).Where(l => l.Trim().Length > 0).TakeLast(LogLinesShown).ToList();
        return lines.Count == 0 ? $"{log} is empty." : $"the end of {log}: " + string.Join(" | ", lines.Select(l => l.Trim()));
    }
}
