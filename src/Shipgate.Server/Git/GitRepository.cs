using System.Diagnostics;
using System.Text;

namespace Shipgate.Server.Git;

/// <summary>
/// The git questions the server asks of a repository (a working tree or a bare mirror), each one git
/// process. Git is never asked to change a watched repository: only mirrors the server owns are fetched.
/// </summary>
internal sealed class GitRepository(string directory)
{
    public const string ZeroSha = "0000000000000000000000000000000000000000";

    public string Directory { get; } = directory;

    public async Task<bool> IsRepositoryAsync(CancellationToken cancellationToken = default) =>
        System.IO.Directory.Exists(Directory)
        && (await RunAsync(["rev-parse", "--git-dir"], cancellationToken).ConfigureAwait(false)).Succeeded;

    /// <summary>The commit <paramref name="revision"/> names (a sha, a branch, a full ref), or null.</summary>
    public async Task<string?> ResolveCommitAsync(string revision, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(["rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"], cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? result.Output.Trim() : null;
    }

    /// <summary>True when the commit <paramref name="sha"/> is <paramref name="gitRef"/>'s commit or one of its ancestors (reachable from it).</summary>
    public async Task<bool> IsAncestorAsync(string sha, string gitRef, CancellationToken cancellationToken = default) =>
        (await RunAsync(["merge-base", "--is-ancestor", sha, gitRef], cancellationToken).ConfigureAwait(false)).Succeeded;

    /// <summary>The commit each of the full refs points at; refs that do not exist are left out.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ReadRefsAsync(IReadOnlyList<string> refs, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(["for-each-ref", "--format=%(refname) %(objectname)", .. refs], cancellationToken).ConfigureAwait(false);
        var heads = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!result.Succeeded)
        {
            return heads;
        }

        foreach (var line in result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var space = line.LastIndexOf(' ');
            if (space > 0)
            {
                heads[line[..space]] = line[(space + 1)..].Trim();
            }
        }

        return heads;
    }

    /// <summary>The paths that differ between two commits, or null when git cannot tell (e.g. an unknown commit).</summary>
    public async Task<IReadOnlyList<string>?> ChangedPathsAsync(string? from, string to, CancellationToken cancellationToken = default)
    {
        var result = from is null or ZeroSha
            ? await RunAsync(["diff-tree", "--no-commit-id", "--name-only", "-r", "--root", to], cancellationToken).ConfigureAwait(false)
            : await RunAsync(["diff", "--name-only", "--no-renames", "--end-of-options", from, to, "--"], cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null;
    }

    /// <summary>The author's name and email of a commit, or null.</summary>
    public async Task<(string Name, string Email)?> AuthorAsync(string sha, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(["log", "-1", "--format=%an%x00%ae", sha], cancellationToken).ConfigureAwait(false);
        var parts = result.Output.TrimEnd('\n').Split('\0');
        return result.Succeeded && parts.Length == 2 ? (parts[0], parts[1]) : null;
    }

    /// <summary>When commit <paramref name="sha"/> was made (its committer time), or null when git cannot tell.</summary>
    public async Task<DateTimeOffset?> CommittedAtAsync(string sha, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(["log", "-1", "--format=%cI", "--end-of-options", sha, "--"], cancellationToken).ConfigureAwait(false);
        return result.Succeeded
            && DateTimeOffset.TryParse(result.Output.Trim(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var at)
            ? at.ToUniversalTime()
            : null;
    }

    /// <summary>
    /// The commits reachable from <paramref name="to"/> and not from <paramref name="from"/> (all reachable ones when
    /// <paramref name="from"/> is null or not an ancestor git knows), newest first, at most <paramref name="limit"/>:
    /// each one's author and committer. Null when git cannot tell (an unknown commit).
    /// </summary>
    public async Task<IReadOnlyList<CommitPeople>?> CommitPeopleAsync(string? from, string to, int limit, CancellationToken cancellationToken = default)
    {
        var range = from is not null && from != ZeroSha && await ResolveCommitAsync(from, cancellationToken).ConfigureAwait(false) is not null ? $"{from}..{to}" : to;
        var result = await RunAsync(["log", $"--max-count={limit}", "--format=%H%x00%an%x00%ae%x00%cn%x00%ce", "--end-of-options", range, "--"], cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return null;
        }

        var commits = new List<CommitPeople>();
        foreach (var line in result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\0');
            if (parts.Length == 5)
            {
                commits.Add(new CommitPeople(parts[0], parts[1], parts[2], parts[3], parts[4]));
            }
        }

        return commits;
    }

    /// <summary>The files directly in <paramref name="directories"/> at commit <paramref name="sha"/>.</summary>
    public async Task<IReadOnlyList<string>> ListFilesAsync(string sha, IReadOnlyList<string> directories, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(["ls-tree", "--name-only", "--full-tree", sha, "--", .. directories.Select(d => d.TrimEnd('/') + "/")], cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries) : [];
    }

    /// <summary>A file's text at a commit, or null when it is not there.</summary>
    public async Task<string?> ReadFileAsync(string sha, string path, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(["show", $"{sha}:{path}"], cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? result.Output : null;
    }

    /// <summary>Fetches every branch, tag and pull request head into a mirror the server owns.</summary>
    public Task<GitResult> FetchAsync(CancellationToken cancellationToken = default) =>
        RunAsync(["fetch", "--prune", "--quiet", "origin", "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*", "+refs/pull/*/head:refs/pull/*/head"], cancellationToken);

    /// <summary>Clones <paramref name="url"/> as a bare mirror into <paramref name="directory"/>.</summary>
    public static Task<GitResult> CloneMirrorAsync(string url, string directory, CancellationToken cancellationToken = default) =>
        RunInAsync(Path.GetDirectoryName(directory)!, ["clone", "--mirror", "--quiet", "--", url, directory], cancellationToken);

    public Task<GitResult> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken = default) =>
        RunInAsync(Directory, arguments, cancellationToken);

    private static async Task<GitResult> RunInAsync(string workingDirectory, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Never prompt for credentials: the server has no terminal.
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return new GitResult(-1, "", $"git could not be started ({ex.Message}); install git.");
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new GitResult(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }
}
