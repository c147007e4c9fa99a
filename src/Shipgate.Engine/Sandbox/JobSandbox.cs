using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Shipgate.Engine.Processes;
using Shipgate.Engine.Tools;

namespace Shipgate.Engine.Sandbox;

/// <summary>
/// The sandbox of one job: a holder process that bubblewrap starts as PID 1 of a new PID and mount namespace
/// (<c>bash -c 'read'</c>, which also reaps orphans), and every process of the job entered into those namespaces
/// with <c>nsenter</c>, then switched to the runner user with <c>setpriv</c>. Background processes of one step live
/// on into the next (they share the namespace); disposing ends the holder, and the kernel kills every process left
/// in the namespace, daemons included. The holder reads a pipe of this process, so a crash of the server ends the
/// job's processes too.
/// </summary>
internal sealed partial class JobSandbox : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The host's directories a job may write (shared with the host, as on a self-hosted runner).</summary>
    private static readonly string[] SharedWritable = ["/tmp", "/var/tmp"];

    private readonly Process _holder;
    private readonly int _namespacePid;
    private readonly string _nsenter;
    private readonly string _setpriv;

    private JobSandbox(Process holder, int namespacePid, string nsenter, string setpriv, RunnerAccount? runner)
    {
        _holder = holder;
        _namespacePid = namespacePid;
        _nsenter = nsenter;
        _setpriv = setpriv;
        Runner = runner;
    }

    /// <summary>The user the job's processes run as; null for the user of this process.</summary>
    public RunnerAccount? Runner { get; }

    /// <summary>Starts the holder and waits until its namespaces are set up.</summary>
    public static async Task<JobSandbox> StartAsync(
        string bwrap, string nsenter, string setpriv, string setsid, string bash, RunnerAccount? runner,
        JobSandboxLayout layout, string hidden, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(setsid)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        // Its own session, so that Ctrl-C on the server's terminal does not end the job's processes before the
        // engine cancels them (and runs the always() steps in this sandbox).
        foreach (var argument in Arguments(bwrap, bash, layout, hidden))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/bin:/bin";
        cancellationToken.ThrowIfCancellationRequested();
        var holder = Process.Start(start) ?? throw new SandboxException("bwrap could not be started.");
        try
        {
            // Not abandoned halfway when the job is cancelled: a bubblewrap left without its reader dies of SIGPIPE
            // before it lets the namespace's PID 1 go on, which then waits forever. Starting takes milliseconds.
            using var timeout = new CancellationTokenSource(StartTimeout);
            var ready = await holder.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false);
            var info = await holder.StandardError.ReadToEndAsync(timeout.Token).ConfigureAwait(false);
            if (ready != "ready" || ChildPid().Match(info) is not { Success: true } match)
            {
                var said = info.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith('{')) ?? "no reason given";
                throw new SandboxException($"bubblewrap could not create the job's sandbox: {said}");
            }

            return new JobSandbox(holder, int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), nsenter, setpriv, runner);
        }
        catch (Exception ex)
        {
            // bubblewrap and the namespace's PID 1 it made (its child on the host), whatever state they are in.
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync(CancellationToken.None).WaitAsync(StopTimeout, CancellationToken.None).ConfigureAwait(false);
            holder.Dispose();
            if (ex is OperationCanceledException)
            {
                throw new SandboxException($"bubblewrap did not set up the job's sandbox within {StartTimeout.TotalSeconds:0} seconds.");
            }

            throw;
        }
    }

    /// <summary>The program and arguments that run <paramref name="program"/> in this sandbox, in <paramref name="workingDirectory"/>.</summary>
    public (string FileName, IReadOnlyList<string> Arguments) Command(string program, IReadOnlyList<string> arguments, string workingDirectory)
    {
        // --wdns changes directory inside the namespace: --wd would open it in the host's and let `cd ..` out.
        var command = new List<string> { "--target", _namespacePid.ToString(CultureInfo.InvariantCulture), "--pid", "--mount", "--root", "--wdns=" + workingDirectory };
        if (!Environment.IsPrivilegedProcess)
        {
            // bubblewrap made a user namespace for an ordinary user: its mounts belong to it.
            command.AddRange(["--user", "--preserve-credentials"]);
        }

        command.Add("--");
        if (Runner is not null)
        {
            command.AddRange([_setpriv, .. StepSandbox.RunAs(Runner)]);
        }

        command.Add(program);
        command.AddRange(arguments);
        return (_nsenter, command);
    }

    /// <summary>Makes a file or directory the server wrote for a step (its script, its file commands) the runner's.</summary>
    public void GiveToRunner(string path)
    {
        if (Runner is not null)
        {
            NativeMethods.LChown(path, Runner.UserId, Runner.GroupId);
        }
    }

    /// <summary>
    /// Makes what the server's built-in actions wrote (a checkout, a restored cache, a tool) the runner's, links
    /// themselves and never what they point to (chown -R -P walks with openat and O_NOFOLLOW, so a step cannot turn
    /// a directory into a link mid-walk to have something outside given away).
    /// </summary>
    public Task GiveTreesToRunnerAsync(CancellationToken cancellationToken, params string[] paths) =>
        Runner is null ? Task.CompletedTask : GiveAsync(Runner, recursive: true, cancellationToken, paths);

    internal static async Task GiveAsync(RunnerAccount runner, bool recursive, CancellationToken cancellationToken, params string[] paths)
    {
        var existing = paths.Where(p => File.Exists(p) || Directory.Exists(p)).ToList();
        if (existing.Count == 0)
        {
            return;
        }

        var owner = $"{runner.UserId.ToString(CultureInfo.InvariantCulture)}:{runner.GroupId.ToString(CultureInfo.InvariantCulture)}";
        string[] options = recursive ? ["-R", "-P", "--no-dereference"] : ["--no-dereference"];
        var result = await CommandRunner.RunAsync(
            StepSandbox.Find("chown") ?? "chown", [.. options, owner, "--", .. existing], "/", cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded && !recursive)
        {
            throw new SandboxException($"The job's directories could not be given to the runner user '{runner.Name}': {result.FirstErrorLine}");
        }
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or inside it.</summary>
    public static bool IsUnder(string path, string root) =>
        path == root || path.StartsWith(Path.TrimEndingDirectorySeparator(root) + "/", StringComparison.Ordinal);

    /// <summary>Ends the holder: the kernel then kills every process of the namespace; returns once they are gone.</summary>
    public async ValueTask DisposeAsync()
    {
        Stop(_holder);
        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await _holder.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The holder did not see its input end (stopped by a debugger?): the namespace dies with its PID 1.
            NativeMethods.Kill(_namespacePid, NativeMethods.SigKill);
        }

        _holder.Dispose();
    }

    private static void Stop(Process holder)
    {
        try
        {
            holder.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }
    }

    private static List<string> Arguments(string bwrap, string bash, JobSandboxLayout layout, string hidden)
    {
        // A fresh /dev (no disks, a /dev/shm of the job's own) needs root: for an ordinary user bubblewrap would mount it
        // from a second, nested user namespace that nsenter could not enter the PID namespace from. Its /dev is the host's.
        // The host is read-only to the job but for the places every program expects to write and the job's own
        // directories: what a step wrote elsewhere (the server user's home or shell profile, an installed shipgate)
        // would outlive the job and run with the server's rights later.
        List<string> arguments = Environment.IsPrivilegedProcess
            ? [bwrap, "--unshare-pid", "--as-pid-1", "--ro-bind", "/", "/", "--dev", "/dev"]
            : [bwrap, "--unshare-pid", "--as-pid-1", "--ro-bind", "/", "/", "--dev-bind", "/dev", "/dev"];
        foreach (var shared in SharedWritable.Where(Directory.Exists))
        {
            arguments.AddRange(["--bind", shared, shared]);
        }

        arguments.AddRange(["--proc", "/proc", "--perms", "0755", "--tmpfs", hidden]);
        var made = new HashSet<string>(StringComparer.Ordinal);
        (string Path, bool Writable)[] shown =
            [(layout.ToolCache, true), (layout.Workspace, true), (layout.Temp, true), (layout.Home, true), (layout.EventPath, false)];
        foreach (var (path, writable) in shown)
        {
            var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
            if (!IsUnder(full, hidden) || full == hidden)
            {
                // Outside the data folder (a tool cache of its own): visible already, writable only when bound so.
                if (writable && full != hidden && Directory.Exists(full))
                {
                    arguments.AddRange(["--bind", full, full]);
                }

                continue;
            }

            ShowUnder(arguments, made, hidden, full, writable);
        }

        // bubblewrap writes the namespace's pid to fd 2 at once; the holder says "ready" once the mounts are in place.
        arguments.AddRange(["--info-fd", "2", "--", bash, "-c", "echo ready; read -r _"]);
        return arguments;
    }

    /// <summary>
    /// Adds the bubblewrap arguments that show <paramref name="full"/> inside the emptied <paramref name="hidden"/>: the
    /// directories between (each once, tracked in <paramref name="made"/>), then the bind, read-only unless <paramref name="writable"/>.
    /// </summary>
    internal static void ShowUnder(List<string> arguments, HashSet<string> made, string hidden, string full, bool writable)
    {
        // The directories between the empty file system and the path: bubblewrap would make them 0700 (its
        // user's), which the runner could not enter.
        var between = new List<string>();
        for (var parent = Path.GetDirectoryName(full); parent is not null && parent != hidden; parent = Path.GetDirectoryName(parent))
        {
            between.Insert(0, parent);
        }

        foreach (var directory in between.Where(made.Add))
        {
            arguments.AddRange(["--perms", "0755", "--dir", directory]);
        }

        arguments.AddRange([writable ? "--bind" : "--ro-bind", full, full]);
    }

    [GeneratedRegex("\"child-pid\"\\s*:\\s*(\\d+)")]
    private static partial Regex ChildPid();
}
