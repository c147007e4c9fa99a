using System.Diagnostics;
using Shipgate.Engine.Sandbox;

namespace Shipgate.Edge.Supervisor;

/// <summary>
/// Starts an instance's process: <c>/bin/sh -c COMMAND</c> in its release directory, in a session (and so a process
/// group) of its own, its output appended to its log file (a file, not a pipe, so it outlives the edge). With a
/// sandbox (the default) it runs in bubblewrap as workflow steps do (ADR 0012): the host read-only, its release
/// directory read-only, its own HOME and TMPDIR, the edge's state directory and the hidden directories (the server's
/// data folder) empty, a PID namespace of its own (so nothing it forks outlives a stop), and, when the edge is root,
/// as the runner user.
/// </summary>
internal sealed class InstanceLauncher(StepSandbox? sandbox, IReadOnlyList<string> hidden)
{
    private static readonly string[] SharedWritable = ["/tmp", "/var/tmp"];

    /// <summary>Null when instances run unisolated (<c>--isolation none</c>).</summary>
    public StepSandbox? Sandbox { get; } = sandbox;

    /// <summary>Starts the process; it is the leader of its own process group (its pid is the group's id).</summary>
    public async Task<Process> StartAsync(InstanceLaunch launch, CancellationToken cancellationToken = default)
    {
        var host = System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        var environment = Sandbox is null
            ? host.Where(e => e.Key is "PATH" or "LANG" or "LC_ALL").ToDictionary(StringComparer.Ordinal)
            : await Sandbox.CleanEnvironmentAsync(host).ConfigureAwait(false);
        foreach (var (name, value) in launch.Environment)
        {
            environment[name] = value;
        }

        environment["HOME"] = launch.Home;
        environment["TMPDIR"] = launch.Temp;

        List<string> command = Sandbox is null
            ? ["/bin/sh", "-c", launch.Command]
            : await SandboxedAsync(Sandbox, launch, cancellationToken).ConfigureAwait(false);

        return StartAppending(launch.LogFile, launch.ReleaseDirectory, [StepSandbox.Find("setsid") ?? "setsid", .. command], environment);
    }

    /// <summary>
    /// Starts <paramref name="command"/> with stdin from /dev/null and stdout and stderr appended to <paramref name="log"/>
    /// (sh opens the file and execs it: the pid is the command's). With <c>setsid</c> first (not a group leader, it
    /// makes the session without forking) the process leads a session and process group of its own.
    /// </summary>
    internal static Process StartAppending(string log, string workingDirectory, IReadOnlyList<string> command, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var argument in (string[])["-c", "log=$1; shift; exec \"$@\" </dev/null >>\"$log\" 2>&1", "sh", log, .. command])
        {
            start.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            start.Environment.Clear();
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }
        }

        return Process.Start(start) ?? throw new InvalidOperationException("/bin/sh could not be started.");
    }

    private async Task<List<string>> SandboxedAsync(StepSandbox sandbox, InstanceLaunch launch, CancellationToken cancellationToken)
    {
        var runner = await sandbox.PrepareAsync().ConfigureAwait(false);
        if (runner is not null)
        {
            await JobSandbox.GiveAsync(runner, recursive: false, cancellationToken, launch.Home, launch.Temp).ConfigureAwait(false);
        }

        List<string> arguments = System.Environment.IsPrivilegedProcess
            ? [StepSandbox.Find("bwrap")!, "--unshare-pid", "--ro-bind", "/", "/", "--dev", "/dev"]
            : [StepSandbox.Find("bwrap")!, "--unshare-pid", "--ro-bind", "/", "/", "--dev-bind", "/dev", "/dev"];
        foreach (var shared in SharedWritable.Where(Directory.Exists))
        {
            arguments.AddRange(["--bind", shared, shared]);
        }

        arguments.AddRange(["--proc", "/proc"]);
        var roots = new List<string>();
        foreach (var directory in hidden)
        {
            roots.Add(await sandbox.HiddenRootAsync(directory).ConfigureAwait(false));
        }

        // Nested roots: covering the outer one hides the inner one too.
        roots = roots.Distinct().Where(r => !roots.Any(o => o != r && JobSandbox.IsUnder(r, o))).ToList();
        foreach (var root in roots)
        {
            arguments.AddRange(["--perms", "0755", "--tmpfs", root]);
        }

        var made = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, writable) in new[] { (launch.ReleaseDirectory, false), (launch.Home, true), (launch.Temp, true) })
        {
            var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
            if (roots.FirstOrDefault(r => JobSandbox.IsUnder(full, r)) is { } root)
            {
                JobSandbox.ShowUnder(arguments, made, root, full, writable);
            }
            else
            {
                arguments.AddRange([writable ? "--bind" : "--ro-bind", full, full]);
            }
        }

        // No --as-pid-1: bubblewrap's own init is PID 1 and ends the namespace (and everything the instance forked or
        // setsid'd) when the instance's shell exits; a shell as PID 1 would ignore SIGTERM.
        arguments.AddRange(["--chdir", launch.ReleaseDirectory, "--"]);
        if (runner is not null)
        {
            arguments.AddRange([StepSandbox.Find("setpriv")!, .. StepSandbox.RunAs(runner)]);
        }

        arguments.AddRange(["/bin/sh", "-c", launch.Command]);
        return arguments;
    }
}
