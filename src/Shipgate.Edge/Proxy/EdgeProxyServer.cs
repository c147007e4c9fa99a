using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shipgate.Edge.Metrics;
using Shipgate.Edge.Proxy.Http1;
using Shipgate.Edge.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace Shipgate.Edge.Proxy;

/// <summary>
/// The public listener: forwards each request to an endpoint of the release the router's current table picks, and
/// records it in <see cref="EdgeMetrics"/>. Kestrel with a single terminal handler (no routing middleware) in front
/// of YARP's <see cref="IHttpForwarder"/> and one pooled, keep-alive <see cref="SocketsHttpHandler"/>, behind the
/// fast path (<see cref="Http1FastPath"/>), which forwards plain HTTP/1.1 requests itself (ADR 0017).
/// </summary>
public sealed class EdgeProxyServer(
    EdgeRouter router,
    EdgeMetrics metrics,
    ILoggerFactory loggerFactory,
    TimeProvider time,
    EdgeProxyOptions? options = null,
    Random? random = null) : IAsyncDisposable
{
    private readonly EdgeProxyOptions _options = options ?? new EdgeProxyOptions();
    private readonly ILogger _logger = loggerFactory.CreateLogger<EdgeProxyServer>();
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private HttpMessageInvoker? _invoker;
    private Http1FastPath? _fastPath;
    private bool _disposed;

    /// <summary>The addresses it listens on once started, e.g. <c>http://127.0.0.1:8080</c>.</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    /// <summary>
    /// Starts listening on each <c>HOST:PORT</c> of <paramref name="listen"/> (port 0: a free one). Throws
    /// <see cref="ArgumentException"/> for an address that is not <c>HOST:PORT</c> and <see cref="IOException"/>
    /// naming the address when a port is taken; either message is one sentence.
    /// </summary>
    public async Task StartAsync(IReadOnlyList<string> listen, CancellationToken cancellationToken = default)
    {
        var endpoints = listen.Select(ListenAddress.Parse).ToArray();
        _invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = null,
            ConnectTimeout = _options.ConnectTimeout,
            // Instances sit on this host: keep their connections pooled, and let a crashed instance's sockets go soon.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            EnableMultipleHttp2Connections = false,
        });

        var chooser = new RouteChooser(router, metrics, random ?? Random.Shared, _logger);
        _fastPath = _options.FastPath ? new Http1FastPath(chooser, _options, _logger) : null;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.AddProvider(new LoggerFactoryProvider(loggerFactory));
        // Hosting logs two lines per request at Information: the proxy's own outcomes are in the metrics.
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        // YARP's forwarder logs two lines per request at Information ("Proxying to ...", "Received HTTP/1.1 response"):
        // under `shipgate edge`'s console logging that cost a third of the proxy's throughput. Its failures reach the
        // log as the proxy's own (Log.ForwardFailed, Log.Retrying).
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);
        // Hosting starts an Activity and a log scope for every request whenever its category is enabled at any level
        // (HostingApplicationDiagnostics.BeginRequest checks Critical), which the logs above never use: off entirely,
        // 825 fewer bytes per request (docs/benchmarks.md). Unhandled errors are logged by Kestrel, failures by the proxy.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Services.AddHttpForwarder();
        builder.WebHost.UseSockets(sockets =>
        {
            sockets.UnsafePreferInlineScheduling = _options.InlineScheduling;
            // Inline, a read goes straight into a buffer instead of a zero-byte read first: one system call fewer per
            // request, for a 4 KiB buffer held by each idle connection (docs/benchmarks.md).
            sockets.WaitForDataBeforeAllocatingBuffer = !_options.InlineScheduling;
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.KeepAliveTimeout = _options.KeepAliveTimeout;
            kestrel.Limits.RequestHeadersTimeout = _options.RequestHeadersTimeout;
            foreach (var endpoint in endpoints)
            {
                kestrel.Listen(endpoint, listen =>
                {
                    if (_fastPath is { } fastPath)
                    {
                        listen.Use(fastPath.Use);
                    }
                });
            }
        });

        var app = builder.Build();
        var forwarder = new EdgeForwarder(
            chooser,
            app.Services.GetRequiredService<IHttpForwarder>(),
            _invoker,
            new RequestMirror(_invoker, _options, time, _logger, _stopping.Token),
            _options,
            _logger);
        app.Run(forwarder.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e) when (e.InnerException is AddressInUseException or SocketException)
        {
            await app.DisposeAsync();
            var taken = listen.FirstOrDefault(l => e.Message.Contains(ListenAddress.Parse(l).ToString(), StringComparison.Ordinal))
                ?? string.Join(", ", listen);
            throw new IOException($"The proxy cannot listen on {taken}: the address is in use.", e);
        }

        _app = app;
        Addresses = [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses];
        Log.Listening(_logger, string.Join(", ", Addresses));
    }

    /// <summary>Stops accepting; requests in flight finish, mirrored copies in flight are abandoned.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_disposed)
        {
            return;
        }

        await _stopping.CancelAsync();
        if (_app is { } app)
        {
            await app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stopping.CancelAsync();
        if (_app is { } app)
        {
            _app = null;
            await app.DisposeAsync();
        }

        _invoker?.Dispose();
        _fastPath?.Dispose();
        _stopping.Dispose();
    }
}
