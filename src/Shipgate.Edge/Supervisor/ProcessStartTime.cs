using System.Globalization;

namespace Shipgate.Edge.Supervisor;

/// <summary>
/// A process's start time as the kernel records it (field 22 of <c>/proc/PID/stat</c>, clock ticks since boot): with
/// the pid it names one process, so an edge that restarts adopts its instance and not a later process given the same pid.
/// </summary>
internal static class ProcessStartTime
{
    /// <summary>The start time of a living (not zombie) process, or null.</summary>
    public static long? Of(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ...": comm may hold spaces and parentheses, so count fields after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20 || fields[0] is "Z" or "X")
        {
            return null;
        }

        return long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start) ? start : null;
    }

    /// <summary>True when <paramref name="pid"/> still runs the process that started at <paramref name="startTime"/>.</summary>
    public static bool IsSame(int pid, long startTime) => Of(pid) == startTime;
}
