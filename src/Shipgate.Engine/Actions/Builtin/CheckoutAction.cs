using System.Text.RegularExpressions;
using Shipgate.Engine.Tools;

namespace Shipgate.Engine.Actions.Builtin;

/// <summary>
/// <c>actions/checkout</c>: the run's commit from the local repository into the workspace, with git's own
/// transport (a fetch from the repository's path), so it works offline and a shallow fetch stays small.
/// The result looks like GitHub's: an <c>origin</c> remote, the branch checked out at the commit.
/// </summary>
internal sealed partial class CheckoutAction : IBuiltinAction
{
    public string Key => "actions/checkout";

    public async Task<ActionResult> RunAsync(IActionContext context, CancellationToken cancellationToken = default)
    {
        var repository = context.GetInput("repository").Trim();
        var ownRepository = context.Environment.GetValueOrDefault("GITHUB_REPOSITORY", "");
        if (repository.Length > 0 && !string.Equals(repository, ownRepository, StringComparison.OrdinalIgnoreCase))
        {
            return ActionResult.Failure(
                $"actions/checkout can only check out the run's own repository offline, not '{repository}'; vendor it into the repository instead.");
        }

        var fetchDepth = context.GetInteger("fetch-depth", 1);
        if (fetchDepth is null or < 0)
        {
            return ActionInputs.Invalid("fetch-depth", context.GetInput("fetch-depth"), "a whole number (0 for all history)");
        }

        if (context.GetBoolean("clean", true) is not { } clean)
        {
            return ActionInputs.Invalid("clean", context.GetInput("clean"), "true or false");
        }

        if (context.GetBoolean("fetch-tags", false) is not { } fetchTags)
        {
            return ActionInputs.Invalid("fetch-tags", context.GetInput("fetch-tags"), "true or false");
        }

        var workspace = Path.GetFullPath(context.Workspace);
        var destination = Path.GetFullPath(Path.Combine(workspace, context.GetInput("path", ".")));
        if (destination != workspace && !destination.StartsWith(workspace + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return ActionResult.Failure($"Repository path '{destination}' is not under '{workspace}'.");
        }

        var source = Path.GetFullPath(context.RepositoryDirectory);
        var git = new GitRunner(context, cancellationToken);
        var target = await ResolveTargetAsync(git, context, source).ConfigureAwait(false);
        if (target.Error is not null)
        {
            return ActionResult.Failure(target.Error);
        }

        context.Log($"Checking out {target.Commit} ({(target.Ref.Length > 0 ? target.Ref : "detached")}) from {source} into {destination}");
        var prepared = await PrepareDirectoryAsync(git, destination, source, clean).ConfigureAwait(false);
        if (prepared is not null)
        {
            return prepared;
        }

        var fetched = await FetchAsync(git, destination, target, fetchDepth.Value, fetchTags).ConfigureAwait(false);
        if (fetched is not null)
        {
            return fetched;
        }

        var sparse = context.GetLines("sparse-checkout");
        if (sparse.Count > 0)
        {
            var cone = context.GetBoolean("sparse-checkout-cone-mode", true) ?? true;
            var result = await git.RunAsync(destination, ["sparse-checkout", "set", cone ? "--cone" : "--no-cone", .. sparse]).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                return ActionResult.Failure($"git sparse-checkout failed: {result.FirstErrorLine}");
            }
        }

        string[] checkout = target.Ref.StartsWith("refs/heads/", StringComparison.Ordinal)
            ? ["checkout", "--force", "-B", target.Ref["refs/heads/".Length..], target.Commit]
            : ["checkout", "--force", "--detach", target.Commit];
        var checkedOut = await git.RunAsync(destination, checkout).ConfigureAwait(false);
        if (!checkedOut.Succeeded)
        {
            return ActionResult.Failure($"git checkout of {target.Commit} failed: {checkedOut.FirstErrorLine}");
        }

        var submodules = await UpdateSubmodulesAsync(git, context, destination, fetchDepth.Value).ConfigureAwait(false);
        if (submodules is not null)
        {
            return submodules;
        }

        if (context.GetBoolean("lfs", false) == true)
        {
            context.Warning("actions/checkout: lfs is not supported offline; Git LFS files stay as pointer files.");
        }

        context.SetOutput("ref", target.Ref);
        context.SetOutput("commit", target.Commit);
        return ActionResult.Success;
    }

    /// <summary>The commit to check out and the ref it is checked out as (empty: detached at a commit).</summary>
    private static async Task<CheckoutTarget> ResolveTargetAsync(GitRunner git, IActionContext context, string source)
    {
        if (!Directory.Exists(source))
        {
            return CheckoutTarget.Failed($"The repository '{source}' does not exist.");
        }

        var requested = context.GetInput("ref").Trim();
        if (requested.Length == 0)
        {
            var commit = context.Sha.Length > 0 ? context.Sha : "HEAD";
            var resolved = await git.RevParseCommitAsync(source, commit).ConfigureAwait(false);
            return resolved is null
                ? CheckoutTarget.Failed($"The run's commit {commit} is not in the repository '{source}'.")
                : new CheckoutTarget(resolved, context.Sha.Length > 0 ? context.Ref : await git.SymbolicHeadAsync(source).ConfigureAwait(false), null);
        }

        if (CommitId().IsMatch(requested))
        {
            var resolved = await git.RevParseCommitAsync(source, requested).ConfigureAwait(false);
            return resolved is null
                ? CheckoutTarget.Failed($"The commit '{requested}' is not in the repository '{source}'.")
                : new CheckoutTarget(resolved, "", null);
        }

        string[] candidates = requested.StartsWith("refs/", StringComparison.Ordinal)
            ? [requested]
            : [$"refs/heads/{requested}", $"refs/tags/{requested}", $"refs/remotes/origin/{requested}"];
        foreach (var candidate in candidates)
        {
            var resolved = await git.RevParseCommitAsync(source, candidate).ConfigureAwait(false);
            if (resolved is not null)
            {
                var qualified = candidate.StartsWith("refs/remotes/origin/", StringComparison.Ordinal)
                    ? "refs/heads/" + candidate["refs/remotes/origin/".Length..]
                    : candidate;
                return new CheckoutTarget(resolved, qualified, null);
            }
        }

        // An abbreviated commit id, or anything else git understands (HEAD~1).
        var other = await git.RevParseCommitAsync(source, requested).ConfigureAwait(false);
        return other is null
            ? CheckoutTarget.Failed($"The ref '{requested}' was not found in the repository '{source}'.")
            : new CheckoutTarget(other, "", null);
    }

    /// <summary>
    /// Reuses a previous checkout of the same repository (cleaned when <c>clean</c>), else empties the
    /// directory and makes a new repository with <c>origin</c> pointing at the source.
    /// </summary>
    private static async Task<ActionResult?> PrepareDirectoryAsync(GitRunner git, string destination, string source, bool clean)
    {
        if (Directory.Exists(Path.Combine(destination, ".git")))
        {
            var origin = await git.RunAsync(destination, ["config", "--get", "remote.origin.url"], log: false).ConfigureAwait(false);
            if (origin.Succeeded && origin.StandardOutput.Trim() == source)
            {
                if (!clean)
                {
                    return null;
                }

                var cleaned = await git.RunAsync(destination, ["clean", "-ffdx"]).ConfigureAwait(false);
                var reset = cleaned.Succeeded ? await git.RunAsync(destination, ["reset", "--hard", "HEAD"]).ConfigureAwait(false) : cleaned;
                if (reset.Succeeded || !await git.HasCommitsAsync(destination).ConfigureAwait(false))
                {
                    return null;
                }
            }
        }

        if (Directory.Exists(destination))
        {
            var directory = new DirectoryInfo(destination);
            foreach (var entry in directory.EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo sub && sub.LinkTarget is null)
                {
                    sub.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }
            }
        }

        Directory.CreateDirectory(destination);
        var init = await git.RunAsync(destination, ["init", "--quiet"]).ConfigureAwait(false);
        var remote = init.Succeeded ? await git.RunAsync(destination, ["remote", "add", "origin", source]).ConfigureAwait(false) : init;
        return remote.Succeeded ? null : ActionResult.Failure($"git could not prepare '{destination}': {remote.FirstErrorLine}");
    }

    private static async Task<ActionResult?> FetchAsync(GitRunner git, string destination, CheckoutTarget target, int depth, bool fetchTags)
    {
        var shallow = File.Exists(Path.Combine(destination, ".git", "shallow"));
        var destinationRef = RemoteTrackingRef(target.Ref);
        var commitSpec = destinationRef is null ? target.Commit : $"+{target.Commit}:{destinationRef}";
        List<string> arguments = ["fetch", "--prune", "--no-recurse-submodules", "--quiet"];
        if (depth > 0)
        {
            arguments.Add(fetchTags ? "--tags" : "--no-tags");
            arguments.Add($"--depth={depth}");
            arguments.AddRange(["origin", commitSpec]);
        }
        else
        {
            if (shallow)
            {
                arguments.Add("--unshallow");
            }

            arguments.AddRange(["--tags", "origin", "+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"]);
        }

        var fetched = await git.RunAsync(destination, arguments).ConfigureAwait(false);
        if (!fetched.Succeeded)
        {
            return ActionResult.Failure($"git fetch of {target.Commit} failed: {fetched.FirstErrorLine}");
        }

        // With all branches fetched, the commit may still be on none of them (a detached run, a moved branch).
        if (depth == 0 && await git.RevParseCommitAsync(destination, target.Commit).ConfigureAwait(false) is null)
        {
            var commit = await git.RunAsync(destination, ["fetch", "--no-tags", "--quiet", "origin", target.Commit]).ConfigureAwait(false);
            if (!commit.Succeeded)
            {
                return ActionResult.Failure($"git fetch of {target.Commit} failed: {commit.FirstErrorLine}");
            }
        }

        return null;
    }

    private static async Task<ActionResult?> UpdateSubmodulesAsync(GitRunner git, IActionContext context, string destination, int depth)
    {
        var submodules = context.GetInput("submodules", "false").Trim();
        if (submodules is "false" or "False" or "FALSE" || !File.Exists(Path.Combine(destination, ".gitmodules")))
        {
            return null;
        }

        List<string> arguments = ["submodule", "update", "--init", "--force"];
        if (submodules is "recursive")
        {
            arguments.Add("--recursive");
        }

        if (depth > 0)
        {
            arguments.Add($"--depth={depth}");
        }

        var updated = await git.RunAsync(destination, arguments).ConfigureAwait(false);
        return updated.Succeeded
            ? null
            : ActionResult.Failure($"The submodules could not be checked out (offline, only submodules reachable from this host work): {updated.FirstErrorLine}");
    }

    /// <summary>Where a fetched ref is kept, as actions/checkout names it; null for a plain commit.</summary>
    private static string? RemoteTrackingRef(string qualifiedRef) => qualifiedRef switch
    {
        "" => null,
        _ when qualifiedRef.StartsWith("refs/heads/", StringComparison.Ordinal) => "refs/remotes/origin/" + qualifiedRef["refs/heads/".Length..],
        _ when qualifiedRef.StartsWith("refs/pull/", StringComparison.Ordinal) => "refs/remotes/pull/" + qualifiedRef["refs/pull/".Length..],
        _ when qualifiedRef.StartsWith("refs/", StringComparison.Ordinal) => qualifiedRef,
        _ => null,
    };

    [GeneratedRegex("^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$")]
    private static partial Regex CommitId();

    private sealed record CheckoutTarget(string Commit, string Ref, string? Error)
    {
        public static CheckoutTarget Failed(string error) => new("", "", error);
    }

    /// <summary>Runs git for one checkout, logging each command like the runner does.</summary>
    private sealed class GitRunner(IActionContext context, CancellationToken cancellationToken)
    {
        public Task<CommandResult> RunAsync(string directory, IEnumerable<string> arguments, bool log = true)
        {
            // The source may belong to another user (a server checkout); the run only reads it.
            string[] all = ["-c", "safe.directory=*", "-c", "protocol.file.allow=always", .. arguments];
            if (log)
            {
                context.Log("[command]git " + string.Join(' ', all.Skip(4)));
            }

            return CommandRunner.RunAsync("git", all, directory, GitEnvironment, cancellationToken);
        }

        public async Task<string?> RevParseCommitAsync(string directory, string revision)
        {
            var result = await RunAsync(directory, ["rev-parse", "--verify", "--quiet", revision + "^{commit}"], log: false).ConfigureAwait(false);
            return result.Succeeded ? result.StandardOutput.Trim() : null;
        }

        public async Task<string> SymbolicHeadAsync(string directory)
        {
            var result = await RunAsync(directory, ["symbolic-ref", "--quiet", "HEAD"], log: false).ConfigureAwait(false);
            return result.Succeeded ? result.StandardOutput.Trim() : "";
        }

        public async Task<bool> HasCommitsAsync(string directory) =>
            await RevParseCommitAsync(directory, "HEAD").ConfigureAwait(false) is not null;

        private static readonly Dictionary<string, string> GitEnvironment = BuildEnvironment();

        private static Dictionary<string, string> BuildEnvironment()
        {
            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
            {
                var key = (string)entry.Key;
                // A run started from inside a git hook or worktree must not aim git at that repository.
                if (!key.StartsWith("GIT_", StringComparison.Ordinal))
                {
                    environment[key] = (string?)entry.Value ?? "";
                }
            }

            environment["GIT_TERMINAL_PROMPT"] = "0";
            environment["LC_ALL"] = "C";
            return environment;
        }
    }
}
