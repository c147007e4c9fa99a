namespace Shipgate.Engine.Tools;

/// <summary>Finds programs on a PATH the way a shell does (first executable match wins).</summary>
internal static class ExecutableLocator
{
    /// <summary>The full path of <paramref name="name"/> on <paramref name="pathVariable"/>, or null.</summary>
    public static string? Find(string name, string? pathVariable)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return IsExecutable(name) ? Path.GetFullPath(name) : null;
        }

        foreach (var directory in SearchDirectories(pathVariable))
        {
            var candidate = Path.Combine(directory, name);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The directories of a PATH value, in order, without empty entries and duplicates.</summary>
    public static IEnumerable<string> SearchDirectories(string? pathVariable) =>
        (pathVariable ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal);

    /// <summary>The PATH of an action's environment, falling back to Shipgate's own.</summary>
    public static string? PathOf(IReadOnlyDictionary<string, string> environment) =>
        environment.TryGetValue("PATH", out var path) ? path : Environment.GetEnvironmentVariable("PATH");

    public static bool IsExecutable(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return false;
            }

            if (OperatingSystem.IsWindows())
            {
                return true;
            }

            const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            return (File.GetUnixFileMode(path) & AnyExecute) != 0;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
