namespace Shipgate.Engine.Processes;

/// <summary>Finds a program as a shell would: a path with a slash as it is, otherwise in each PATH directory.</summary>
internal static class ExecutableLocator
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>The full path of <paramref name="name"/>, or null when it is not an executable file.</summary>
    /// <param name="name">A program name (<c>bash</c>) or a path (<c>./run.sh</c>, <c>/usr/bin/env</c>).</param>
    /// <param name="searchPath">The PATH to search (the child's, not Shipgate's).</param>
    /// <param name="workingDirectory">Where a relative path with a slash is resolved.</param>
    public static string? Find(string name, string? searchPath, string? workingDirectory = null)
    {
        if (name.Length == 0)
        {
            return null;
        }

        if (name.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(name, workingDirectory ?? Directory.GetCurrentDirectory());
            return IsExecutable(full) ? full : null;
        }

        foreach (var directory in (searchPath ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (IsExecutable(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        return null;
    }

    private static bool IsExecutable(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return false;
            }

            return OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & AnyExecute) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
