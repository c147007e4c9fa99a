using System.Diagnostics;

namespace Shipgate.Engine.Contexts;

/// <summary>
/// What the run needs to know about the repository: the commit, the ref, the owner/name, and the head
/// commit's metadata for the event payload. Read with git; a directory that is not a git repository
/// gets neutral values, so that a workflow can run from any folder.
/// </summary>
internal sealed record GitRepositoryInfo(
    string Sha,
    string Ref,
    string BeforeSha,
    string Owner,
    string Name,
    string DefaultBranch,
    CommitInfo? HeadCommit)
{
    public const string ZeroSha = "0000000000000000000000000000000000000000";

    public string FullName => $"{Owner}/{Name}";

    public static async Task<GitRepositoryInfo> LoadAsync(string repository, string? requestedRef, string? requestedSha, string actor, CancellationToken cancellationToken = default)
    {
        // Independent questions run at once: each git process costs milliseconds, and a run starts after them.
        var symbolicRef = requestedRef is null ? GitAsync(repository, ["symbolic-ref", "-q", "HEAD"], cancellationToken) : Task.FromResult<string?>(requestedRef);
        var remote = GitAsync(repository, ["config", "--get", "remote.origin.url"], cancellationToken);
        var remoteHead = GitAsync(repository, ["symbolic-ref", "-q", "--short", "refs/remotes/origin/HEAD"], cancellationToken);
        var resolved = requestedSha is not null ? Task.FromResult<string?>(requestedSha)
            : GitAsync(repository, ["rev-parse", "--verify", "-q", (requestedRef ?? "HEAD") + "^{commit}"], cancellationToken);
        var fullRef = NormalizeRef(await symbolicRef.ConfigureAwait(false) ?? "refs/heads/main");
        var sha = await resolved.ConfigureAwait(false)
            ?? (requestedRef is null ? null : await GitAsync(repository, ["rev-parse", "--verify", "-q", fullRef + "^{commit}"], cancellationToken).ConfigureAwait(false))
            ?? ZeroSha;
        var beforeTask = sha == ZeroSha ? Task.FromResult<string?>(null) : GitAsync(repository, ["rev-parse", "--verify", "-q", sha + "^"], cancellationToken);
        var logTask = sha == ZeroSha ? Task.FromResult<string?>(null) : GitAsync(repository, ["log", "-1", "--format=%T%x00%an%x00%ae%x00%cn%x00%ce%x00%cI%x00%B", sha], cancellationToken);
        var before = await beforeTask.ConfigureAwait(false) ?? ZeroSha;
        var (owner, name) = ParseRemote(await remote.ConfigureAwait(false), repository, actor);
        var defaultBranch = await remoteHead.ConfigureAwait(false) is { } remoteHeadRef
            ? remoteHeadRef[(remoteHeadRef.IndexOf('/', StringComparison.Ordinal) + 1)..]
            : "main";

        CommitInfo? head = null;
        if (await logTask.ConfigureAwait(false) is { } log)
        {
            var parts = log.Split('\0');
            if (parts.Length >= 7)
            {
                head = new CommitInfo(sha, parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6].TrimEnd());
            }
        }

        return new GitRepositoryInfo(sha, fullRef, before, owner, name, defaultBranch, head);
    }

    /// <summary><c>main</c> → <c>refs/heads/main</c>; a full ref stays as it is.</summary>
    public static string NormalizeRef(string reference) =>
        reference.StartsWith("refs/", StringComparison.Ordinal) ? reference : "refs/heads/" + reference;

    /// <summary>GITHUB_REF_NAME: the branch or tag name, or what follows <c>refs/pull/</c>.</summary>
    public static string RefName(string fullRef)
    {
        foreach (var prefix in (string[])["refs/heads/", "refs/tags/", "refs/pull/"])
        {
            if (fullRef.StartsWith(prefix, StringComparison.Ordinal))
            {
                return fullRef[prefix.Length..];
            }
        }

        return fullRef;
    }

    public static string RefType(string fullRef) => fullRef.StartsWith("refs/tags/", StringComparison.Ordinal) ? "tag" : "branch";

    private static (string Owner, string Name) ParseRemote(string? url, string repository, string actor)
    {
        if (!string.IsNullOrWhiteSpace(url))
        {
            var trimmed = url.Trim().TrimEnd('/');
            if (trimmed.EndsWith(".git", StringComparison.Ordinal))
            {
                trimmed = trimmed[..^4];
            }

            var parts = trimmed.Replace(':', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2)
            {
                return (parts[^2], parts[^1]);
            }
        }

        var folder = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(repository)));
        return (string.IsNullOrEmpty(actor) ? "local" : actor, string.IsNullOrEmpty(folder) ? "repository" : folder);
    }

    private static async Task<string?> GitAsync(string repository, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-C");
        info.ArgumentList.Add(repository);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            _ = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            var text = (await output.ConfigureAwait(false)).TrimEnd('\n', '\r');
            return process.ExitCode == 0 && text.Length > 0 ? text : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No git on the host: the run goes on with neutral values.
            return null;
        }
    }
}

/// <summary>The metadata of a commit, for the push payload.</summary>
internal sealed record CommitInfo(string Sha, string Tree, string AuthorName, string AuthorEmail, string CommitterName, string CommitterEmail, string Timestamp, string Message);
