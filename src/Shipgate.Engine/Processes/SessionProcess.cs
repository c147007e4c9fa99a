using System.ComponentModel;
using System.Diagnostics;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Shipgate.Engine.Processes;

/// <summary>
/// A program started as the leader of a new session (pid == pgid == sid, no controlling terminal), its standard
/// input a pipe closed at once (reads see end of file), its standard output and error two pipes, its environment
/// exactly the one given.
/// </summary>
/// <remarks>
/// <para>
/// Where libc has what it takes (posix_spawn_file_actions_addchdir_np: glibc 2.29, musl 1.1.24), the program is
/// started with posix_spawn(3) and POSIX_SPAWN_SETSID, every signal at its default disposition and none blocked, as
/// from a terminal, and <see cref="ProcessExitWaiter"/> waits for it in waitpid(2): .NET's SIGCHLD handling reaps
/// only the children that System.Diagnostics.Process started. Elsewhere it is started through util-linux's setsid program,
/// which calls setsid(2) and execs the program, with System.Diagnostics.Process; that way the program inherits
/// SIGPIPE ignored, as .NET sets it in its own process (a step's <c>yes | head</c> then ends with write errors).
/// </para>
/// <para>
/// Why not always setsid: it is one more exec per step, measured at 0.6 ms of CPU on the benchmark machine
/// (docs/benchmarks.md), more than half of the 1 ms that Shipgate may add to a step.
/// </para>
/// <para>
/// Known limit: when Shipgate itself was started with SIGCHLD ignored, .NET reaps every child, and may reap a
/// spawned program before its waiting thread does; its exit code is then lost and reported as -1.
/// </para>
/// </remarks>
internal sealed class SessionProcess : IDisposable
{
    private static volatile bool _spawnUnavailable;

    private readonly IDisposable? _owner;

    private SessionProcess(int id, Stream standardOutput, Stream standardError, Task<int> exited, IDisposable? owner)
    {
        Id = id;
        StandardOutput = standardOutput;
        StandardError = standardError;
        Exited = exited;
        _owner = owner;
    }

    /// <summary>The process id, which is also its process group and session id.</summary>
    public int Id { get; }

    public Stream StandardOutput { get; }

    public Stream StandardError { get; }

    /// <summary>Completes when the process has ended, with its exit status, or 128 + the signal that killed it.</summary>
    public Task<int> Exited { get; }

    /// <summary>
    /// Starts <paramref name="program"/> (a full path) with posix_spawn. Null when this libc cannot, or when
    /// standard input, output or error of Shipgate is closed (then use <see cref="StartWithSetsid"/>).
    /// </summary>
    /// <exception cref="Win32Exception">The program could not be started; the message is the system's.</exception>
    public static SessionProcess? TrySpawn(string program, IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        if (_spawnUnavailable || !OperatingSystem.IsLinux())
        {
            return null;
        }

        var input = new[] { -1, -1 };
        var output = new[] { -1, -1 };
        var error = new[] { -1, -1 };
        var argv = NativeStrings([program, .. arguments]);
        var envp = NativeStrings(environment.Select(pair => pair.Key + "=" + pair.Value));
        var attributes = Marshal.AllocHGlobal(SpawnNativeMethods.OpaqueSize);
        var actions = Marshal.AllocHGlobal(SpawnNativeMethods.OpaqueSize);
        var signals = Marshal.AllocHGlobal(SpawnNativeMethods.OpaqueSize);
        var attributesReady = false;
        var actionsReady = false;
        var started = false;
        try
        {
            if (!CreatePipe(input) || !CreatePipe(output) || !CreatePipe(error))
            {
                return null;
            }

            Check(SpawnNativeMethods.AttributesInit(attributes));
            attributesReady = true;
            Check(SpawnNativeMethods.FileActionsInit(actions));
            actionsReady = true;
            Check(SpawnNativeMethods.FileActionsAddDup2(actions, input[0], 0));
            Check(SpawnNativeMethods.FileActionsAddDup2(actions, output[1], 1));
            Check(SpawnNativeMethods.FileActionsAddDup2(actions, error[1], 2));
            Check(SpawnNativeMethods.FileActionsAddChdir(actions, workingDirectory));
            Check(SpawnNativeMethods.SignalSetEmpty(signals));
            Check(SpawnNativeMethods.AttributesSetSignalMask(attributes, signals));
            // Signals 1 to 64 at their defaults. Not sigfillset: glibc's leaves out its two internal signals (32 and 33),
            // which its posix_spawn then leaves ignored in the child, and the program would inherit that.
            Marshal.WriteInt64(signals, -1L);
            Check(SpawnNativeMethods.AttributesSetSignalDefault(attributes, signals));
            Check(SpawnNativeMethods.AttributesSetFlags(attributes, SpawnNativeMethods.SpawnFlags));
            Check(SpawnNativeMethods.Spawn(out var pid, program, actions, attributes, argv, envp));
            started = true;

            return new SessionProcess(pid, ReadEnd(output[0]), ReadEnd(error[0]), ProcessExitWaiter.WaitAsync(pid), null);
        }
        catch (EntryPointNotFoundException)
        {
            _spawnUnavailable = true;
            return null;
        }
        finally
        {
            if (actionsReady)
            {
                SpawnNativeMethods.FileActionsDestroy(actions);
            }

            if (attributesReady)
            {
                SpawnNativeMethods.AttributesDestroy(attributes);
            }

            Marshal.FreeHGlobal(attributes);
            Marshal.FreeHGlobal(actions);
            Marshal.FreeHGlobal(signals);
            FreeNativeStrings(argv);
            FreeNativeStrings(envp);

            // The child's ends, and the write end of its input (closing it is what makes the input empty). Once
            // started, the read ends belong to the streams.
            CloseAll(input[0], input[1], output[1], error[1]);
            if (!started)
            {
                CloseAll(output[0], error[0]);
            }
        }
    }

    /// <summary>Starts <paramref name="program"/> through the <paramref name="setsid"/> program.</summary>
    /// <exception cref="Win32Exception">setsid could not be started.</exception>
    public static SessionProcess StartWithSetsid(string setsid, string program, IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var startInfo = new ProcessStartInfo(setsid)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        startInfo.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            throw;
        }

        process.StandardInput.Close();
        return new SessionProcess(process.Id, process.StandardOutput.BaseStream, process.StandardError.BaseStream, ExitCodeAsync(process), process);
    }

    public void Dispose()
    {
        StandardOutput.Dispose();
        StandardError.Dispose();
        _owner?.Dispose();
    }

    private static async Task<int> ExitCodeAsync(Process process, CancellationToken cancellationToken = default)
    {
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return process.ExitCode;
    }

    /// <summary>A close-on-exec pipe above the standard descriptors (false when one of them is closed in Shipgate).</summary>
    private static bool CreatePipe(int[] fds)
    {
        if (SpawnNativeMethods.Pipe2(fds, SpawnNativeMethods.CloseOnExec) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }

        // posix_spawn applies the dup2 actions in order: a pipe end numbered 0, 1 or 2 could be overwritten by an
        // earlier one. System.Diagnostics.Process copes with that; the setsid way is taken instead.
        return fds[0] > 2 && fds[1] > 2;
    }

    private static void Check(int result)
    {
        if (result != 0)
        {
            throw new Win32Exception(result);
        }
    }

    private static AnonymousPipeClientStream ReadEnd(int fd) => new(PipeDirection.In, new SafePipeHandle(fd, ownsHandle: true));

    private static void CloseAll(params int[] fds)
    {
        foreach (var fd in fds)
        {
            if (fd >= 0)
            {
                SpawnNativeMethods.Close(fd);
            }
        }
    }

    private static IntPtr[] NativeStrings(IEnumerable<string> strings)
    {
        var native = strings.Select(Marshal.StringToCoTaskMemUTF8).ToList();
        native.Add(IntPtr.Zero);
        return [.. native];
    }

    private static void FreeNativeStrings(IntPtr[] strings)
    {
        foreach (var pointer in strings)
        {
            Marshal.FreeCoTaskMem(pointer);
        }
    }
}
