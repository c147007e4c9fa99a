using System.ComponentModel;
using System.Runtime.ExceptionServices;

namespace Shipgate.Engine.Processes;

/// <summary>
/// Runs one program as a process tree that can be killed whole, streaming what it prints line by line.
/// </summary>
/// <remarks>
/// <para>
/// The child leads a new session and process group: pid == pgid == sid (<see cref="SessionProcess"/>: started with
/// posix_spawn and POSIX_SPAWN_SETSID, or through util-linux's <c>setsid</c> program where libc cannot). Being its
/// own session also means the step has no controlling terminal, as on GitHub.
/// </para>
/// <para>
/// Standard input is a pipe closed at once (reads see end of file, as from /dev/null), so a step never waits on
/// Shipgate's terminal. The environment is exactly <see cref="ProcessSpec.Environment"/>.
/// </para>
/// <para>
/// On timeout or cancellation the tree gets SIGTERM (the group, its descendants and tracked processes), then
/// after <see cref="ProcessRunnerOptions.KillGracePeriod"/> SIGKILL, and no process of it survives. When the
/// program exits by itself, processes it left in the background keep running until
/// <see cref="ProcessTracker.KillRemainingAsync"/> (end of the job), as on GitHub.
/// </para>
/// </remarks>
public sealed class ProcessRunner
{
    private static readonly Lazy<string?> SetsidPath = new(() =>
        ExecutableLocator.Find("setsid", "/usr/bin:/bin:/usr/sbin:/sbin:" + Environment.GetEnvironmentVariable("PATH")));

    private readonly ProcessRunnerOptions _options;
    private readonly TimeProvider _timeProvider;

    public ProcessRunner(ProcessRunnerOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new ProcessRunnerOptions();
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Runs <paramref name="spec"/> to its end. <paramref name="onOutput"/> gets each line of stdout and stderr in
    /// arrival order; it is never called concurrently, nor after this method has returned. A slow callback slows
    /// the child (the pipe fills), which keeps memory bounded.
    /// </summary>
    /// <returns>Exited with a code, timed out, cancelled or failed to start; never throws for those.</returns>
    public async Task<ProcessResult> RunAsync(ProcessSpec spec, Action<OutputLine> onOutput, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(onOutput);

        if (!Directory.Exists(spec.WorkingDirectory))
        {
            return ProcessResult.StartFailure($"The working directory '{spec.WorkingDirectory}' does not exist.");
        }

        spec.Environment.TryGetValue("PATH", out var childPath);
        var program = ExecutableLocator.Find(spec.FileName, childPath, spec.WorkingDirectory);
        if (program is null)
        {
            return ProcessResult.StartFailure($"{spec.FileName}: command not found (searched the step's PATH).");
        }

        var trackingId = spec.Tracker?.NextTrackingId();
        var environment = ChildEnvironment(spec, trackingId);
        var (fileName, arguments) = spec.Sandbox is { } sandbox
            ? sandbox.Command(program, spec.Arguments, spec.WorkingDirectory)
            : (program, spec.Arguments);
        SessionProcess? process;
        try
        {
            process = _options.UseSetsidProgram ? null : SessionProcess.TrySpawn(fileName, arguments, spec.WorkingDirectory, environment);
            if (process is null)
            {
                if (SetsidPath.Value is not { } setsid)
                {
                    return ProcessResult.StartFailure("setsid was not found; install util-linux (apt-get install util-linux).");
                }

                process = SessionProcess.StartWithSetsid(setsid, fileName, arguments, spec.WorkingDirectory, environment);
            }
        }
        catch (Win32Exception e)
        {
            return ProcessResult.StartFailure($"An error occurred trying to start process '{program}' with working directory '{spec.WorkingDirectory}': {e.Message}.");
        }

        var pid = process.Id;
        var gate = new OutputGate(onOutput);
        var readers = Task.WhenAll(
            new OutputLineReader(OutputStream.StandardOutput, _options.MaxLineLength, gate.DeliverAsync).PumpAsync(process.StandardOutput, CancellationToken.None),
            new OutputLineReader(OutputStream.StandardError, _options.MaxLineLength, gate.DeliverAsync).PumpAsync(process.StandardError, CancellationToken.None));

        var outcome = ProcessOutcome.Exited;
        var forced = false;
        using (var timeout = spec.Timeout is { } limit ? new CancellationTokenSource(limit, _timeProvider) : new CancellationTokenSource())
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken))
        {
            try
            {
                await process.Exited.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // A timeout is not a cancellation: only the caller's token makes this a cancellation.
                outcome = cancellationToken.IsCancellationRequested ? ProcessOutcome.Cancelled : ProcessOutcome.TimedOut;
                (_, forced) = await ProcessTreeKiller.KillAsync(pid, trackingId, _options.KillGracePeriod, _timeProvider).ConfigureAwait(false);
                await process.Exited.ConfigureAwait(false);
            }
        }

        try
        {
            await readers.WaitAsync(_options.OutputDrainTimeout, _timeProvider, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A background process still holds the pipes: keep draining them (discarding) so that it does not get
            // SIGPIPE, and release the process once they close.
        }

        var exitCode = await process.Exited.ConfigureAwait(false);
        _ = readers.ContinueWith(static (_, state) => ((SessionProcess)state!).Dispose(), process, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await gate.CloseAsync().ConfigureAwait(false);

        return new ProcessResult(outcome, exitCode, pid, forced);
    }

    private static IReadOnlyDictionary<string, string> ChildEnvironment(ProcessSpec spec, string? trackingId)
    {
        if (trackingId is null)
        {
            return spec.Environment;
        }

        var environment = new Dictionary<string, string>(spec.Environment, StringComparer.Ordinal)
        {
            ["RUNNER_TRACKING_ID"] = trackingId,
        };
        return environment;
    }

    /// <summary>
    /// Serializes the two readers' calls to the callback, and shuts it off when the run ends. A callback that
    /// throws is a bug of the caller: output keeps being drained (so the child never blocks on a full pipe) and
    /// the exception is rethrown when the run ends.
    /// </summary>
    private sealed class OutputGate(Action<OutputLine> onOutput)
    {
        private readonly SemaphoreSlim _lock = new(1, 1);
        private bool _closed;
        private ExceptionDispatchInfo? _failure;

        public async ValueTask DeliverAsync(OutputLine line)
        {
            await _lock.WaitAsync().ConfigureAwait(false);
            try
            {
                if (!_closed && _failure is null)
                {
                    onOutput(line);
                }
            }
            catch (Exception e)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                _lock.Release();
            }
        }

        public async Task CloseAsync()
        {
            await _lock.WaitAsync().ConfigureAwait(false);
            _closed = true;
            _lock.Release();
            _failure?.Throw();
        }
    }
}
