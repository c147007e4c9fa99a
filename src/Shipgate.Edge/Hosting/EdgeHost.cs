using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shipgate.Delivery.Edge;
using Shipgate.Edge.Admin;
using Shipgate.Edge.Metrics;
using Shipgate.Edge.Proxy;
using Shipgate.Edge.Routing;
using Shipgate.Edge.State;
using Shipgate.Edge.Supervisor;
using Shipgate.Engine.Sandbox;

namespace Shipgate.Edge.Hosting;

/// <summary>
/// A running edge (<c>shipgate edge</c>): the proxy on its listen address, the admin API on its socket or port, and the
/// supervisor with the state restored (running instances adopted). Disposing it leaves the instances running, for the
/// next edge to adopt; <c>POST /v1/stop</c> stops them first and then completes <see cref="StopRequested"/>.
/// </summary>
public sealed class EdgeHost : IAsyncDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly EdgeHostOptions _options;
    private readonly FileStream _lock;
    private readonly EdgeSupervisor _supervisor;
    private readonly EdgeProxyServer _proxy;
    private readonly WebApplication _admin;
    private readonly string? _socket;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    private EdgeHost(
        EdgeHostOptions options,
        FileStream fileLock,
        EdgeRouter router,
        EdgeSupervisor supervisor,
        EdgeProxyServer proxy,
        WebApplication admin,
        string? socket,
        EdgeDiscovery discovery)
    {
        Router = router;
        _options = options;
        _lock = fileLock;
        _supervisor = supervisor;
        _proxy = proxy;
        _admin = admin;
        _socket = socket;
        Discovery = discovery;
    }

    /// <summary>The route tables the supervisor publishes and the proxy reads.</summary>
    internal EdgeRouter Router { get; }

    /// <summary>Where it runs, as written to <c>edge.json</c>.</summary>
    public EdgeDiscovery Discovery { get; }

    /// <summary>The admin API's connection for an <see cref="EdgeClient"/>.</summary>
    public EdgeConnection Connection => new(Discovery.Admin, Discovery.TokenFile);

    /// <summary>Completes once <c>POST /v1/stop</c> stopped every instance: the caller then disposes the host and exits.</summary>
    public Task StopRequested => _stopped.Task;

    /// <summary>Starts the edge; throws <see cref="EdgeStartException"/> (one sentence) and leaves nothing half made when it cannot.</summary>
    public static async Task<EdgeHost> StartAsync(
        EdgeHostOptions options, ILoggerFactory loggerFactory, TimeProvider time, CancellationToken cancellationToken = default)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new EdgeStartException("The edge runs on Linux (its instances need /proc, process groups and bubblewrap).");
        }

        var stateDirectory = Path.GetFullPath(options.StateDirectory);
        var listen = EdgeAdminAddress.ParseEndpoint(options.Listen, "--listen");
        var admin = EdgeAdminAddress.Parse(options.Admin ?? "unix:" + Path.Combine(stateDirectory, "admin.sock"));
        var sandbox = await PrepareSandboxAsync(options).ConfigureAwait(false);
        var created = !Directory.Exists(stateDirectory);
        var cleanup = new Stack<Func<ValueTask>>();
        try
        {
            CreateStateDirectory(stateDirectory);
            if (created)
            {
                cleanup.Push(() =>
                {
                    Directory.Delete(stateDirectory, recursive: true);
                    return ValueTask.CompletedTask;
                });
            }

            var fileLock = Lock(stateDirectory);
            cleanup.Push(fileLock.DisposeAsync);
            CheckFree(listen, "--listen");
            if (admin.Endpoint is { } adminEndpoint)
            {
                CheckFree(adminEndpoint, "--admin");
            }

            var router = new EdgeRouter();
            var metrics = new EdgeMetrics(time);
            var launcher = new InstanceLauncher(sandbox, [stateDirectory, .. options.Hidden.Select(Path.GetFullPath)]);
            var supervisor = new EdgeSupervisor(stateDirectory, launcher, router, time, loggerFactory.CreateLogger("Shipgate.Edge.Supervisor"));
            cleanup.Push(supervisor.DisposeAsync);
            supervisor.Restore();

            var proxy = new EdgeProxyServer(router, metrics, loggerFactory, time);
            cleanup.Push(proxy.DisposeAsync);
            try
            {
                await proxy.StartAsync([options.Listen], cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new EdgeStartException(
                    $"The edge cannot listen on {options.Listen}: {ex.Message.TrimEnd('.')} (another edge or server on that port?); pass --listen to choose another.", ex);
            }

            var tokenFile = admin.Endpoint is null ? null : Path.Combine(stateDirectory, AdminToken.FileName);
            var token = tokenFile is null ? null : AdminToken.LoadOrCreate(tokenFile);
            EdgeHost? host = null;
            var app = BuildAdmin(admin, loggerFactory, token, supervisor, metrics, () => host!, () => host!.StopAsync());
            cleanup.Push(app.DisposeAsync);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            if (admin.SocketPath is { } socket)
            {
                File.SetUnixFileMode(socket, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            var boundAdmin = admin.SocketPath is null ? new Uri(app.Urls.First()).Port : 0;
            var discovery = new EdgeDiscovery
            {
                Pid = Environment.ProcessId,
                Listen = proxy.Addresses,
                Admin = admin.ClientAddress(boundAdmin),
                TokenFile = tokenFile,
                StartedAt = time.GetUtcNow(),
            };
            EdgeStateFile.WriteDiscovery(stateDirectory, discovery);
            host = new EdgeHost(options with { StateDirectory = stateDirectory }, fileLock, router, supervisor, proxy, app, admin.SocketPath, discovery);
            if (sandbox is null)
            {
                loggerFactory.CreateLogger("Shipgate.Edge").LogWarning(
                    "Instances run unisolated (--isolation none): they can read the edge's state, its admin token and every file of its user.");
            }

            return host;
        }
        catch (Exception ex)
        {
            while (cleanup.TryPop(out var undo))
            {
                await undo().ConfigureAwait(false);
            }

            throw ex switch
            {
                EdgeStartException => ex,
                InvalidDataException => new EdgeStartException(ex.Message, ex),
                IOException or UnauthorizedAccessException => new EdgeStartException($"The edge could not start: {ex.Message}", ex),
                _ => ex,
            };
        }
    }

    /// <summary>Stops accepting, leaves the instances running and removes <c>edge.json</c> and the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        // A host disposed twice (a test restarting its edge, then disposing it) stops once.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _admin.StopAsync().ConfigureAwait(false);
        await _admin.DisposeAsync().ConfigureAwait(false);
        await _proxy.StopAsync().ConfigureAwait(false);
        await _proxy.DisposeAsync().ConfigureAwait(false);
        await _supervisor.DisposeAsync().ConfigureAwait(false);
        File.Delete(Path.Combine(_options.StateDirectory, EdgeStateFile.DiscoveryName));
        if (_socket is not null)
        {
            File.Delete(_socket);
        }

        await _lock.DisposeAsync().ConfigureAwait(false);
    }

    private void StopAsync() => _ = Task.Run(async () =>
    {
        await _supervisor.StopAllAsync().ConfigureAwait(false);
        _stopped.TrySetResult();
    });

    private static WebApplication BuildAdmin(
        EdgeAdminAddress address, ILoggerFactory loggerFactory, AdminToken? token, EdgeSupervisor supervisor, EdgeMetrics metrics, Func<EdgeHost> host, Action stop)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // The edge's own logging (its console, edge.log when launched): unexpected failures of a call are logged there.
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = ArtifactUnpacker.MaxBytes * 2;
            if (address.SocketPath is { } socket)
            {
                // Ours: the state directory's lock is held, so a socket file left there is from an edge that died.
                File.Delete(socket);
                kestrel.ListenUnixSocket(socket);
            }
            else
            {
                kestrel.Listen(address.Endpoint!);
            }
        });
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        if (token is not null)
        {
            app.Use(next => EdgeAdminApi.RequireToken(token, next));
        }

        EdgeAdminApi.Map(app, supervisor, metrics, () => host().Info(), stop);
        return app;
    }

    private EdgeInfo Info() => new()
    {
        Version = (System.Reflection.Assembly.GetEntryAssembly() ?? typeof(EdgeHost).Assembly).GetName().Version?.ToString(3) ?? "0.0.0",
        Pid = Discovery.Pid,
        Listen = Discovery.Listen,
        StateDirectory = _options.StateDirectory,
        StartedAt = Discovery.StartedAt,
    };

    private static async Task<StepSandbox?> PrepareSandboxAsync(EdgeHostOptions options)
    {
        if (!options.Isolate)
        {
            return null;
        }

        if (StepSandbox.FindProblem() is { } problem)
        {
            throw new EdgeStartException(problem.Replace(
                "set Shipgate__StepIsolation=none to run steps unisolated", "pass --isolation none to run instances unisolated", StringComparison.Ordinal));
        }

        var sandbox = new StepSandbox(options.RunnerUser);
        try
        {
            await sandbox.PrepareAsync().ConfigureAwait(false);
        }
        catch (SandboxException ex)
        {
            throw new EdgeStartException(ex.Message, ex);
        }

        return sandbox;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void CreateStateDirectory(string stateDirectory)
    {
        try
        {
            Directory.CreateDirectory(stateDirectory, OwnerOnly);
            var probe = Path.Combine(stateDirectory, ".probe");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EdgeStartException($"The state directory {stateDirectory} cannot be written: {ex.Message.TrimEnd('.')}; pass --state DIR to choose another.", ex);
        }
    }

    private static FileStream Lock(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, "edge.lock");
        try
        {
            // .NET takes an advisory lock (flock) for FileShare.None: a second edge on this state directory is refused.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            var pid = EdgeStateFile.ReadDiscovery(stateDirectory)?.Pid;
            var which = pid is null ? "" : $" (pid {pid})";
            throw new EdgeStartException($"Another edge runs with the state directory {stateDirectory}{which}; stop it with shipgate edge stop.", ex);
        }
    }

    /// <summary>Refuses a taken port before anything starts (the listener's own error would come after the restore).</summary>
    private static void CheckFree(IPEndPoint endpoint, string option)
    {
        if (endpoint.Port == 0)
        {
            return;
        }

        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endpoint);
        }
        catch (SocketException ex)
        {
            var reason = ex.SocketErrorCode == SocketError.AddressAlreadyInUse ? "the port is in use" : ex.Message.TrimEnd('.');
            throw new EdgeStartException($"The edge cannot listen on {endpoint} ({option}): {reason}; pass {option} with another port.", ex);
        }
    }
}
