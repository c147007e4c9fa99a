using System.Buffers;
using System.Globalization;
using System.Text;

namespace Shipgate.Engine.Processes;

/// <summary>
/// Reads /proc to find the processes of a tree: members of a process group, their descendants (which may have
/// left the group), and processes whose environment carries a tracking id (which may have left the tree by
/// daemonizing). Zombies count as dead: they hold no resources and no one can kill them but their parent.
/// </summary>
internal static class ProcessTable
{
    private const string ProcRoot = "/proc";
    private const string TrackingVariable = "RUNNER_TRACKING_ID";
    // A process's initial environment can reach ARG_MAX (2 MiB on Linux); read no more than that.
    private const int MaxEnvironmentBytes = 2 * 1024 * 1024;

    /// <summary>The living processes in group <paramref name="processGroup"/> (if not 0), their descendants, and those
    /// whose RUNNER_TRACKING_ID starts with <paramref name="trackingPrefix"/> (if not null). Never includes Shipgate itself.</summary>
    public static List<int> FindTree(int processGroup, string? trackingPrefix)
    {
        var self = Environment.ProcessId;
        var all = new List<(int Pid, int ParentPid, int Group)>();
        foreach (var pid in EnumeratePids())
        {
            if (pid != self && TryReadStat(pid, out var parent, out var group, out var state) && state is not ('Z' or 'X'))
            {
                all.Add((pid, parent, group));
            }
        }

        var members = new HashSet<int>();
        foreach (var (pid, _, group) in all)
        {
            if ((processGroup != 0 && group == processGroup)
                || (trackingPrefix is not null && HasTrackingPrefix(pid, trackingPrefix)))
            {
                members.Add(pid);
            }
        }

        // Descendants: repeat until no process is added (the list is small; this is not a hot path).
        bool added;
        do
        {
            added = false;
            foreach (var (pid, parent, _) in all)
            {
                if (!members.Contains(pid) && members.Contains(parent))
                {
                    members.Add(pid);
                    added = true;
                }
            }
        }
        while (added);

        return [.. members];
    }

    /// <summary>True when the process exists and is not a zombie.</summary>
    public static bool IsAlive(int pid) => TryReadStat(pid, out _, out _, out var state) && state is not ('Z' or 'X');

    private static IEnumerable<int> EnumeratePids()
    {
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateDirectories(ProcRoot);
        }
        catch (IOException)
        {
            yield break;
        }

        foreach (var entry in entries)
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                yield return pid;
            }
        }
    }

    private static bool TryReadStat(int pid, out int parent, out int group, out char state)
    {
        parent = group = 0;
        state = '?';
        string stat;
        try
        {
            stat = File.ReadAllText($"{ProcRoot}/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ')'.
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return false;
        }

        var fields = stat.AsSpan(close + 1).Trim();
        Span<Range> parts = stackalloc Range[4];
        if (fields.Split(parts, ' ', StringSplitOptions.RemoveEmptyEntries) < 3)
        {
            return false;
        }

        state = fields[parts[0]][0];
        return int.TryParse(fields[parts[1]], NumberStyles.None, CultureInfo.InvariantCulture, out parent)
            && int.TryParse(fields[parts[2]], NumberStyles.None, CultureInfo.InvariantCulture, out group);
    }

    private static bool HasTrackingPrefix(int pid, string prefix)
    {
        var needle = Encoding.UTF8.GetBytes($"{TrackingVariable}={prefix}");
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using var stream = new FileStream($"{ProcRoot}/{pid}/environ", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            var length = 0;
            var total = 0;
            while (total < MaxEnvironmentBytes)
            {
                if (length == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = stream.Read(buffer, length, buffer.Length - length);
                if (read == 0)
                {
                    break;
                }

                length += read;
                total += read;
            }

            // Entries are NUL-separated; the variable must start an entry.
            var environment = buffer.AsSpan(0, length);
            var at = 0;
            while (at < environment.Length)
            {
                var end = environment[at..].IndexOf((byte)0);
                var entry = end < 0 ? environment[at..] : environment.Slice(at, end);
                if (entry.StartsWith(needle))
                {
                    return true;
                }

                if (end < 0)
                {
                    break;
                }

                at += end + 1;
            }

            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
