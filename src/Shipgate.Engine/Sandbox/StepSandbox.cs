using System.Collections.Concurrent;
using System.Globalization;
using Shipgate.Engine.Tools;

namespace Shipgate.Engine.Sandbox;

/// <summary>
/// Runs every process of a job inside a bubblewrap sandbox of its own (<see cref="JobSandbox"/>): the data
/// directory hidden but for the job's own directories, a private <c>/proc</c> and PID namespace, an
/// environment with nothing of the host's but PATH and the locale, and, when this process is root, an unprivileged
/// user (<see cref="PrepareAsync"/>). The host's file system (toolchains under /usr, /opt...) and network stay visible.
/// </summary>
/// <remarks>
/// Needs bubblewrap (<c>bwrap</c>), util-linux's <c>nsenter</c>, <c>setpriv</c> and <c>setsid</c>, and bash (the
/// holder of a job's namespaces); see ADR 0012.
/// </remarks>
public sealed class StepSandbox
{
    /// <summary>The user steps run as when the server runs as root and no other is configured.</summary>
    public const string DefaultRunnerUser = "shipgate-runner";

    private const string ToolPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static readonly string[] KeptVariables = ["PATH", "LANG", "LC_ALL"];

    private readonly string _runnerUser;
    private readonly ConcurrentDictionary<string, bool> _reachable = new(StringComparer.Ordinal);
    private readonly Lazy<Task<RunnerAccount?>> _runner;

    /// <param name="runnerUser">The user steps run as when this process is root (created when missing); ignored otherwise.</param>
    public StepSandbox(string runnerUser = DefaultRunnerUser)
    {
        _runnerUser = runnerUser;
        _runner = new(() => Environment.IsPrivilegedProcess ? EnsureRunnerAsync(_runnerUser) : Task.FromResult<RunnerAccount?>(null));
    }

    /// <summary>One sentence saying what this host lacks for the sandbox, or null when it has everything.</summary>
    public static string? FindProblem() => FindProblem(ToolPath);

    /// <summary>The same, looking for the tools in <paramref name="searchPath"/> (tests).</summary>
    internal static string? FindProblem(string searchPath)
    {
        if (!OperatingSystem.IsLinux())
        {
            return "Step isolation needs Linux and bubblewrap: run on Linux, or set Shipgate__StepIsolation=none to run steps unisolated.";
        }

        if (Processes.ExecutableLocator.Find("bwrap", searchPath) is null)
        {
            return "Steps run in a bubblewrap sandbox, but bwrap is not installed: install the bubblewrap package "
                + "(apt-get install bubblewrap), or set Shipgate__StepIsolation=none to run steps unisolated.";
        }

        var missing = new[] { "nsenter", "setpriv", "setsid", "bash" }
            .Where(tool => Processes.ExecutableLocator.Find(tool, searchPath) is null)
            .ToList();
        return missing.Count == 0
            ? null
            : $"The step sandbox needs {string.Join(", ", missing)}: install util-linux and bash (apt-get install util-linux bash).";
    }

    /// <summary>
    /// Resolves the runner user, creating it (<c>useradd --system</c>) when this process is root and it is missing.
    /// Null when steps run as the user of this process. Throws <see cref="SandboxException"/> when it cannot.
    /// </summary>
    public Task<RunnerAccount?> PrepareAsync() => _runner.Value;

    /// <summary>
    /// The environment a sandboxed step starts from: the host's PATH without the directories the runner cannot
    /// reach, LANG and LC_ALL when set. Nothing else of the host's (the store's connection string, tokens,
    /// passwords) gets in; the engine adds HOME, the GITHUB_* and RUNNER_* variables, the env and the secrets.
    /// </summary>
    internal async Task<Dictionary<string, string>> CleanEnvironmentAsync(IReadOnlyDictionary<string, string> host)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in KeptVariables)
        {
            if (host.TryGetValue(name, out var value) && value.Length > 0)
            {
                environment[name] = value;
            }
        }

        var path = (environment.GetValueOrDefault("PATH") ?? ToolPath).Split(':', StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
        var reachable = await ReachableAsync(path).ConfigureAwait(false);
        environment["PATH"] = string.Join(':', path.Where(reachable.Contains));
        return environment;
    }

    /// <summary>Starts the sandbox of one job; throws <see cref="SandboxException"/> when bubblewrap refuses.</summary>
    internal async Task<JobSandbox> StartJobAsync(JobSandboxLayout layout, CancellationToken cancellationToken = default)
    {
        var runner = await PrepareAsync().ConfigureAwait(false);
        if (runner is not null)
        {
            // The job's own directories are the runner's; the shared tool cache too (steps install into it).
            await JobSandbox.GiveAsync(runner, recursive: false, cancellationToken, layout.Workspace, layout.Temp, layout.Home, layout.ToolCache, layout.EventPath)
                .ConfigureAwait(false);
        }

        var hidden = await HiddenRootAsync(layout.DataDirectory).ConfigureAwait(false);
        return await JobSandbox.StartAsync(Find("bwrap")!, Find("nsenter")!, Find("setpriv")!, Find("setsid")!, Find("bash")!, runner, layout, hidden, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// What to cover with an empty file system to hide <paramref name="dataDirectory"/>: the directory itself, or its
    /// highest ancestor the runner cannot enter anyway (then the job's directories can still be shown under it).
    /// </summary>
    internal async Task<string> HiddenRootAsync(string dataDirectory)
    {
        var data = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory));

        var ancestors = new List<string>();
        for (var parent = Path.GetDirectoryName(data); parent is not null && parent != "/"; parent = Path.GetDirectoryName(parent))
        {
            ancestors.Insert(0, parent);
        }

        var reachable = await ReachableAsync(ancestors).ConfigureAwait(false);
        return ancestors.FirstOrDefault(a => !reachable.Contains(a)) ?? data;
    }

    /// <summary>The <paramref name="directories"/> the runner can enter (all of them when steps run as this process's user).</summary>
    private async Task<HashSet<string>> ReachableAsync(IReadOnlyCollection<string> directories)
    {
        var runner = await PrepareAsync().ConfigureAwait(false);
        if (runner is null)
        {
            return [.. directories.Where(Directory.Exists)];
        }

        var unknown = directories.Where(d => !_reachable.ContainsKey(d)).ToList();
        if (unknown.Count > 0)
        {
            // Asked of the system as the runner: ownership, groups and ACLs all count, as they will for its steps.
            var probe = await CommandRunner.RunAsync(
                Find("setpriv")!,
                [.. RunAs(runner), "/bin/sh", "-c", "for d do [ -d \"$d\" ] && [ -x \"$d\" ] && printf '%s\\n' \"$d\"; done", "sh", .. unknown],
                "/").ConfigureAwait(false);
            var yes = probe.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            foreach (var directory in unknown)
            {
                _reachable[directory] = yes.Contains(directory);
            }
        }

        return [.. directories.Where(d => _reachable.GetValueOrDefault(d))];
    }

    /// <summary>The setpriv arguments that switch to <paramref name="runner"/> (its groups included) and end the options.</summary>
    internal static string[] RunAs(RunnerAccount runner) =>
    [
        "--reuid", runner.UserId.ToString(CultureInfo.InvariantCulture),
        "--regid", runner.GroupId.ToString(CultureInfo.InvariantCulture),
        "--init-groups", "--",
    ];

    private static async Task<RunnerAccount?> EnsureRunnerAsync(string name)
    {
        if (await LookUpAsync(name).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        var created = await CommandRunner.RunAsync(
            Find("useradd") ?? "useradd",
            ["--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", name]).ConfigureAwait(false);
        return await LookUpAsync(name).ConfigureAwait(false)
            ?? throw new SandboxException(
                $"The runner user '{name}' does not exist and could not be created ({created.FirstErrorLine}); create it with useradd --system {name}.");
    }

    private static async Task<RunnerAccount?> LookUpAsync(string name)
    {
        // getent asks NSS, so users from LDAP or sssd count too. passwd: name:x:uid:gid:...
        var entry = await CommandRunner.RunAsync(Find("getent") ?? "getent", ["passwd", name]).ConfigureAwait(false);
        var fields = entry.StandardOutput.Trim().Split(':');
        if (entry.ExitCode != 0 || fields.Length < 4
            || !int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
            || !int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
        {
            return null;
        }

        if (uid == 0)
        {
            throw new SandboxException($"The runner user '{name}' is root (uid 0); steps must run as an unprivileged user.");
        }

        return new RunnerAccount(name, uid, gid);
    }

    internal static string? Find(string tool) => Processes.ExecutableLocator.Find(tool, ToolPath);
}
