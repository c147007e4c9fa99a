namespace Shipgate.Server.Git;

/// <summary>How a git command ended: its exit code and what it printed.</summary>
internal sealed record GitResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The first line git printed on stderr, for a one-sentence error.</summary>
    public string FirstErrorLine => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? $"git exited with {ExitCode}";
}
