namespace Shipgate.Engine.Tests.Actions;

/// <summary>A real git repository made with the git CLI in a test's directory.</summary>
internal sealed class GitRepository
{
    public GitRepository(string path)
    {
        Path = path;
        Directory.CreateDirectory(path);
        Git("init", "--quiet", "--initial-branch=main");
    }

    public string Path { get; }

    /// <summary>Writes the files, commits them and returns the new commit's id.</summary>
    public string Commit(string message, params (string Name, string Content)[] files)
    {
        foreach (var (name, content) in files)
        {
            TempDirectory.WriteFile(System.IO.Path.Combine(Path, name), content);
        }

        Git("add", "--all");
        Git("-c", "user.name=Test", "-c", "user.email=test@shipgate.invalid", "commit", "--quiet", "--allow-empty", "-m", message);
        return Git("rev-parse", "HEAD");
    }

    /// <summary>Runs git in this repository, returns trimmed stdout, throws on failure.</summary>
    public string Git(params string[] arguments) => Run(Path, arguments);

    public static string Run(string directory, params string[] arguments) => TestProcess.Run(directory, "git", arguments);
}
