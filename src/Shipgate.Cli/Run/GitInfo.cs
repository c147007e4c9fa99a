using System.Diagnostics;

namespace Shipgate.Cli.Run;

/// <summary>The few facts <c>shipgate run</c> needs from git: the repository root, HEAD's commit and ref.</summary>
internal static class GitInfo
{
    /// <summary>The root of the git repository holding <paramref name="directory"/>, or null.</summary>
    public static string? FindRepositoryRoot(string directory) => Git(directory, "rev-parse", "--show-toplevel");

    /// <summary>The full commit id that <paramref name="revision"/> names, or null.</summary>
    public static string? ResolveCommit(string repository, string revision) => Git(repository, "rev-parse", "--verify", "--quiet", revision + "^{commit}");

    /// <summary>HEAD's symbolic ref (refs/heads/main), or null on a detached HEAD.</summary>
    public static string? HeadRef(string repository) => Git(repository, "symbolic-ref", "--quiet", "HEAD");

    /// <summary>The full ref for a short name: a branch, then a tag; null when neither exists.</summary>
    public static string? ExpandRef(string repository, string name)
    {
        if (name.StartsWith("refs/", StringComparison.Ordinal))
        {
            return name;
        }

        foreach (var candidate in new[] { "refs/heads/" + name, "refs/tags/" + name })
        {
            if (Git(repository, "rev-parse", "--verify", "--quiet", candidate) is not null)
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>"user.name" of the repository's git configuration, or null.</summary>
    public static string? UserName(string repository) => Git(repository, "config", "user.name");

    private static string? Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Length > 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new UserInputException("git is not installed; shipgate run needs it to read the repository.");
        }
    }
}
