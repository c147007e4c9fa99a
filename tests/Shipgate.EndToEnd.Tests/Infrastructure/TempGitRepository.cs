using System.Diagnostics;

namespace Shipgate.EndToEnd.Tests.Infrastructure;

/// <summary>A throwaway git repository with one commit of the files written into it.</summary>
internal sealed class TempGitRepository : IDisposable
{
    public TempGitRepository()
    {
        Root = Path.Combine(Path.GetTempPath(), "shipgate-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
        Git("init", "--quiet", "--initial-branch=main");
        Git("config", "user.email", "dev@example.com");
        Git("config", "user.name", "dev");
    }

    public string Root { get; }

    /// <summary>The directory for data (runs, logs, artifacts) of this test, outside the repository.</summary>
    public string DataDirectory => Root + ".data";

    public string Write(string relativePath, string content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Copies a directory of the Shipgate source tree into the repository at the same relative path.</summary>
    public void CopyFromSource(string relativeDirectory)
    {
        var source = Path.Combine(SourceTree.Root, relativeDirectory);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(SourceTree.Root, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "node_modules" or "dist" or ".shipgate"))
            {
                continue;
            }

            var target = Path.Combine(Root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
            File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }
    }

    public string Commit(string message = "commit")
    {
        Git("add", "-A");
        Git("commit", "--quiet", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    public string Git(params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {error}");
        }

        return output;
    }

    public void Dispose()
    {
        foreach (var directory in new[] { Root, DataDirectory })
        {
            try
            {
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }
            }
            catch (IOException)
            {
                // A step's leftover may still hold a file; the temp directory is cleaned by the OS later.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
