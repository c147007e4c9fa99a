using System.Globalization;

namespace Shipgate.Server.Tests.Infrastructure;

/// <summary>The host's view of processes a step started in its sandbox, found by a variable only they carry.</summary>
internal static class HostProcesses
{
    /// <summary>True while <paramref name="pid"/> runs (a zombie has ended).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The host's processes whose environment holds <paramref name="variable"/>=1.</summary>
    public static List<int> With(string variable)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                    && File.ReadAllText(Path.Combine(directory, "environ")).Split('\0').Contains(variable + "=1"))
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile.
            }
        }

        return found;
    }
}
