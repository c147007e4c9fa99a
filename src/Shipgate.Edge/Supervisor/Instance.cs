using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Shipgate.Delivery.Edge;
using Shipgate.Edge.State;
using Shipgate.Engine.Processes;
using Shipgate.Engine.Sandbox;

namespace Shipgate.Edge.Supervisor;

/// <summary>
/// One instance of a release and the loop that keeps it: start (or adopt) its process, check its health every
/// interval, restart it with exponential backoff when it exits, and stop it (drain, SIGTERM, SIGKILL) when asked.
/// Reports every change through <see cref="InstanceHost.Changed"/>, which republishes routing and the state file.
/// </summary>
internal sealed class Instance
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ExitPoll = TimeSpan.FromMilliseconds(200);
    private const int StartingCheckMs = 100;

    private readonly InstanceHost _host;
    private readonly ServiceEntry _service;
    private readonly ReleaseEntry _release;
    private readonly CancellationTokenSource _life = new();
    private readonly Queue<DateTimeOffset> _crashTimes = new();
    private readonly Lock _sync = new();
    private Process? _child;
    private Task _loop = Task.CompletedTask;
    private EdgeInstanceStatus _status;
    private long? _processStartTime;

    public Instance(InstanceHost host, ServiceEntry service, ReleaseEntry release, string id, PersistedInstance? adopt)
    {
        _host = host;
        _service = service;
        _release = release;
        Id = id;
        _status = new EdgeInstanceStatus { Id = id, State = EdgeInstanceState.Starting, Crashes = adopt?.Crashes ?? 0 };
        Adopt = adopt;
    }

    public string Id { get; }

    /// <summary>The instance's log file.</summary>
    public string LogFile => _host.LogFile(_service, Id);

    /// <summary>The state it was persisted with before the edge restarted; its process is adopted when it still runs.</summary>
    private PersistedInstance? Adopt { get; set; }

    public EdgeInstanceStatus Status
    {
        get
        {
            lock (_sync)
            {
                return _status with { InFlight = _host.Router.InFlight(Id) };
            }
        }
    }

    /// <summary>More than 3 crashes within the last minute.</summary>
    public bool CrashLooping
    {
        get
        {
            lock (_sync)
            {
                var since = _host.Time.GetUtcNow() - TimeSpan.FromMinutes(1);
                return _crashTimes.Count(t => t > since) > 3;
            }
        }
    }

    /// <summary>What the state file keeps of it.</summary>
    public PersistedInstance ToPersisted()
    {
        lock (_sync)
        {
            return new PersistedInstance
            {
                Id = Id,
                Pid = _status.Pid,
                Port = _status.Port,
                ProcessStartTime = _processStartTime,
                StartedAt = _status.StartedAt,
                Crashes = _status.Crashes,
            };
        }
    }

    public void Start() => _loop = Task.Run(() => RunAsync(_life.Token));

    /// <summary>Takes over its process if it still runs, without watching or restarting it: it is about to be stopped.</summary>
    public void AdoptForStop() => AdoptRunning();

    /// <summary>Stops watching it and leaves its process running (the edge exits; the next one adopts it).</summary>
    public async Task DetachAsync()
    {
        await _life.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    /// <summary>
    /// Stops it for good: it is out of routing already (the caller published); waits until its in-flight requests are
    /// done or the drain timeout passed, then SIGTERM to its process group, SIGKILL after the grace period.
    /// </summary>
    public async Task StopAsync()
    {
        await DetachAsync().ConfigureAwait(false);
        var spec = _service.Spec;
        int? pid;
        lock (_sync)
        {
            pid = _status.Pid;
            _status = _status with { State = EdgeInstanceState.Draining };
        }

        if (pid is { } running && (IsRunning(running) || ProcessTable.FindTree(running, null).Count > 0))
        {
            var drained = _host.Time.GetUtcNow() + TimeSpan.FromMilliseconds(spec.DrainTimeoutMs);
            while (_host.Router.InFlight(Id) > 0 && _host.Time.GetUtcNow() < drained)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), _host.Time).ConfigureAwait(false);
            }

            _ = NativeMethods.Kill(-running, NativeMethods.SigTerm);
            if (!await ExitedWithinAsync(running, TimeSpan.FromMilliseconds(spec.StopGraceMs)).ConfigureAwait(false))
            {
                _ = NativeMethods.Kill(-running, NativeMethods.SigKill);
                await ExitedWithinAsync(running, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
        }

        lock (_sync)
        {
            _status = _status with { State = EdgeInstanceState.Stopped, Pid = null };
        }

        _child?.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = FirstBackoff;
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = _host.Time.GetUtcNow();
            if (!AdoptRunning() && !await StartProcessAsync(cancellationToken).ConfigureAwait(false))
            {
                // Could not even start (sandbox refused, release directory gone): counted as a crash.
                RecordCrash(null);
            }
            else
            {
                _host.Changed(persist: true);
                var exit = await WatchAsync(cancellationToken).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                RecordCrash(exit);
                if (_host.Time.GetUtcNow() - started > TimeSpan.FromMinutes(1))
                {
                    backoff = FirstBackoff;
                }
            }

            _host.Changed(persist: true);
            try
            {
                await Task.Delay(backoff, _host.Time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    private bool AdoptRunning()
    {
        var adopt = Adopt;
        Adopt = null;
        if (adopt is not { Pid: { } pid, ProcessStartTime: { } startTime, Port: { } port } || !ProcessStartTime.IsSame(pid, startTime))
        {
            return false;
        }

        lock (_sync)
        {
            _processStartTime = startTime;
            _status = _status with { State = EdgeInstanceState.Starting, Pid = pid, Port = port, StartedAt = adopt.StartedAt, LastError = null };
        }

        _host.Log.InstanceAdopted(Id, pid);
        return true;
    }

    private async Task<bool> StartProcessAsync(CancellationToken cancellationToken)
    {
        var port = _host.FreePort();
        var home = Path.Combine(_host.InstanceDirectory(_service, Id), "home");
        var temp = Path.Combine(_host.InstanceDirectory(_service, Id), "tmp");
        var logFile = LogFile;
        try
        {
            if (!Directory.Exists(_release.Directory))
            {
                throw new DirectoryNotFoundException(
                    $"The release directory {_release.Directory} is missing: upload the artifact {_release.Spec.ArtifactDigest} again.");
            }

            Directory.CreateDirectory(home);
            Directory.CreateDirectory(temp);
            Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
            var environment = new Dictionary<string, string>(_release.Spec.Environment, StringComparer.Ordinal)
            {
                [_service.Spec.PortEnv] = port.ToString(CultureInfo.InvariantCulture),
                ["SHIPGATE_SERVICE"] = _service.Service,
                ["SHIPGATE_ENVIRONMENT"] = _service.Environment,
                ["SHIPGATE_VERSION"] = _release.Version,
            };
            var launch = new InstanceLaunch(_release.Spec.Command, _release.Directory, environment, logFile, home, temp);
            var process = await _host.Launcher.StartAsync(launch, cancellationToken).ConfigureAwait(false);
            _child?.Dispose();
            _child = process;
            lock (_sync)
            {
                _processStartTime = ProcessStartTime.Of(process.Id);
                _status = _status with
                {
                    State = EdgeInstanceState.Starting,
                    Pid = process.Id,
                    Port = port,
                    StartedAt = _host.Time.GetUtcNow(),
                    LastError = null,
                };
            }

            _host.Log.InstanceStarted(Id, process.Id, port);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SandboxException or Win32Exception or InvalidOperationException)
        {
            lock (_sync)
            {
                _status = _status with { State = EdgeInstanceState.Crashed, Pid = null, LastError = $"The instance could not be started: {ex.Message}" };
            }

            return false;
        }
    }

    /// <summary>Checks health every interval until the process exits (returns its exit code when known) or the loop is cancelled.</summary>
    private async Task<int?> WatchAsync(CancellationToken cancellationToken)
    {
        var pid = Status.Pid!.Value;
        var exited = WaitForExitAsync(pid, cancellationToken);
        while (!exited.IsCompleted)
        {
            var spec = _service.Spec;
            var problem = await CheckHealthAsync(spec, cancellationToken).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                return null;
            }

            if (!exited.IsCompleted)
            {
                SetHealth(problem);
            }

            InstanceLog.RotateIfLarge(LogFile);

            // Until its first pass a starting (or just adopted) instance is checked every 100 ms, so that it takes
            // traffic as soon as it answers rather than up to an interval later.
            var wait = Status.State == EdgeInstanceState.Starting ? Math.Min(StartingCheckMs, spec.HealthIntervalMs) : spec.HealthIntervalMs;
            await Task.WhenAny(exited, Task.Delay(TimeSpan.FromMilliseconds(wait), _host.Time, cancellationToken)).ConfigureAwait(false);
        }

        return await exited.ConfigureAwait(false);
    }

    private void SetHealth(string? problem)
    {
        bool changed;
        lock (_sync)
        {
            var state = problem is null
                ? EdgeInstanceState.Healthy
                : _status.State == EdgeInstanceState.Healthy || _status.State == EdgeInstanceState.Unhealthy ? EdgeInstanceState.Unhealthy : EdgeInstanceState.Starting;
            changed = state != _status.State;
            _status = _status with { State = state, LastError = problem };
        }

        if (changed)
        {
            _host.Changed(persist: false);
        }
    }

    private async Task<string?> CheckHealthAsync(EdgeServiceSpec spec, CancellationToken cancellationToken)
    {
        var port = Status.Port;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMilliseconds(spec.HealthTimeoutMs));
        try
        {
            using var response = await _host.Health.GetAsync(
                new Uri($"http://127.0.0.1:{port}{spec.HealthPath}"), HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK ? null : $"GET {spec.HealthPath} answered {(int)response.StatusCode}, not 200.";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"GET {spec.HealthPath} did not answer within {spec.HealthTimeoutMs} ms.";
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (HttpRequestException ex)
        {
            var reason = ex.InnerException is SocketException socket ? socket.Message : ex.Message;
            return $"GET {spec.HealthPath} on port {port} failed: {reason.TrimEnd('.')}.";
        }
    }

    private void RecordCrash(int? exitCode)
    {
        var lastLine = InstanceLog.LastLine(LogFile);
        lock (_sync)
        {
            var now = _host.Time.GetUtcNow();
            _crashTimes.Enqueue(now);
            while (_crashTimes.Count > 10)
            {
                _crashTimes.Dequeue();
            }

            var error = _status.LastError;
            if (exitCode is not null || _status.Pid is not null)
            {
                var ran = _status.StartedAt is { } startedAt ? (now - startedAt).TotalSeconds : 0;
                var code = exitCode is { } c ? $"with code {c}" : "";
                var when = ran < 2 ? "right after it started" : $"after {ran:0} s";
                error = $"The instance exited {code} {when}".Replace("  ", " ", StringComparison.Ordinal)
                    + (lastLine is null ? "; it wrote nothing." : $"; its last output: {lastLine}");
            }

            _status = _status with { State = EdgeInstanceState.Crashed, Pid = null, Crashes = _status.Crashes + 1, LastError = error };
            _processStartTime = null;
        }

        _host.Log.InstanceCrashed(Id, Status.LastError ?? "");
    }

    /// <summary>The exit code of a child of this edge; null for an adopted process (polled: it is not our child).</summary>
    private async Task<int?> WaitForExitAsync(int pid, CancellationToken cancellationToken)
    {
        try
        {
            if (_child is { } child && child.Id == pid)
            {
                await child.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                return child.ExitCode;
            }

            var startTime = _processStartTime;
            while (startTime is { } t && ProcessStartTime.IsSame(pid, t))
            {
                await Task.Delay(ExitPoll, _host.Time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Detached or stopping: the caller looks at its own token.
        }

        return null;
    }

    private bool IsRunning(int pid) => _processStartTime is { } t ? ProcessStartTime.IsSame(pid, t) : ProcessStartTime.Of(pid) is not null;

    /// <summary>Waits until no process of the instance's group (and no descendant) lives; false when the limit passed first.</summary>
    private async Task<bool> ExitedWithinAsync(int pid, TimeSpan limit)
    {
        using var deadline = new CancellationTokenSource(limit, _host.Time);
        await WaitForExitAsync(pid, deadline.Token).ConfigureAwait(false);
        try
        {
            // The group leader (bubblewrap) goes first; what it ran in its namespace ends right after.
            while (ProcessTable.FindTree(pid, null).Count > 0)
            {
                await Task.Delay(ExitPoll / 4, _host.Time, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        return true;
    }
}
