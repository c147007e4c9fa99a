using Shipgate.Engine.Actions;

namespace Shipgate.Engine.Artifacts;

/// <summary>
/// Which files an action may read on a step's behalf (upload-artifact, cache): never through a symbolic link that
/// leads out of the job's directories (the workspace and RUNNER_TEMP), and never in Shipgate's data folder outside
/// them, where the store, the secret key and other runs live. Built-in actions run in the server's process, so
/// this holds even where the step's own processes could not read those files.
/// </summary>
/// <param name="JobDirectories">The directories a link may lead into (the workspace, RUNNER_TEMP).</param>
/// <param name="DataDirectory">Shipgate's data folder.</param>
/// <param name="OnlyJobDirectories">
/// True when the job's steps run sandboxed as another user: then nothing outside <paramref name="JobDirectories"/> is
/// read or written for them (the server's rights would reach <c>/etc/shadow</c> or <c>/root</c>, theirs do not).
/// </param>
internal sealed record PathConfinement(IReadOnlyList<string> JobDirectories, string DataDirectory, bool OnlyJobDirectories = false)
{
    private const int MaxLinkHops = 40;

    private readonly string[] _jobDirectories = [.. JobDirectories.Select(RealPath)];
    private readonly string _dataDirectory = RealPath(DataDirectory);

    /// <summary>What an action of a job may read: links may lead into its workspace and RUNNER_TEMP.</summary>
    public static PathConfinement ForJob(IActionContext context) => context.SandboxDirectories is { } sandbox
        ? new([context.Workspace, context.RunnerTemp, .. sandbox], context.DataDirectory, OnlyJobDirectories: true)
        : new([context.Workspace, context.RunnerTemp], context.DataDirectory);

    /// <summary>Why <paramref name="path"/>, whose links resolve to <paramref name="realPath"/>, may not be read; null when it may.</summary>
    public string? Refusal(string path, string realPath)
    {
        if (_jobDirectories.Any(d => IsSameOrUnder(realPath, d)))
        {
            return null;
        }

        if (realPath != path)
        {
            return "a symbolic link on its path leads out of the workspace";
        }

        if (OnlyJobDirectories)
        {
            return "it is outside the job's directories, which are all a sandboxed step can reach";
        }

        return IsSameOrUnder(realPath, _dataDirectory) ? "it is in Shipgate's data folder" : null;
    }

    /// <summary>
    /// <paramref name="path"/> (absolute) with every symbolic link resolved, as realpath(3) does; a link that does
    /// not resolve within <see cref="MaxLinkHops"/> hops is kept as it is.
    /// </summary>
    public static string RealPath(string path)
    {
        var pending = new Stack<string>(Parts(path).Reverse());
        var current = "/";
        var hops = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            var next = current == "/" ? "/" + part : current + "/" + part;
            string? target;
            try
            {
                target = new FileInfo(next).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                target = null;
            }

            if (target is null || ++hops > MaxLinkHops)
            {
                current = next;
                continue;
            }

            foreach (var targetPart in Parts(target).Reverse())
            {
                pending.Push(targetPart);
            }

            if (target.StartsWith('/'))
            {
                current = "/";
            }
        }

        return current;

        static string[] Parts(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);
    }

    private static bool IsSameOrUnder(string path, string directory) =>
        path == directory || directory == "/" || path.StartsWith(directory + "/", StringComparison.Ordinal);
}
