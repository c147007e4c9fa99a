using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Shipgate.Edge.Routing;

namespace Shipgate.Edge.Proxy.Http1;

/// <summary>
/// The proxy's fast path (ADR 0017): a Kestrel connection middleware that forwards plain HTTP/1.1 requests itself,
/// over pooled keep-alive connections to the instances, copying heads and bodies as bytes. A request it does not take
/// (see <see cref="RequestHead"/>), or one for a service that mirrors, leaves the rest of the connection to Kestrel's
/// HTTP server and <see cref="EdgeForwarder"/>, before any of it is consumed. A heartbeat enforces the timeouts
/// Kestrel would (keep-alive, request headers, an instance's or a client's silence) and closes idle instance
/// connections.
/// </summary>
internal sealed class Http1FastPath : IDisposable
{
    /// <summary>How long an idle connection to an instance is kept.</summary>
    public static readonly TimeSpan PooledIdleTimeout = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<int, UpstreamPool> _pools = new();
    private readonly ConcurrentDictionary<FastPathConnection, byte> _connections = new();
    private readonly SocketConnectionContextFactory _factory;
    private readonly Timer _heartbeat;

    public Http1FastPath(RouteChooser chooser, EdgeProxyOptions options, ILogger logger)
    {
        Chooser = chooser;
        Options = options;
        Logger = logger;
        // The instances' connections run like the clients' (EdgeProxyOptions.InlineScheduling): a response's
        // continuation on the socket's own thread, not queued to the thread pool.
        _factory = new SocketConnectionContextFactory(
            new SocketConnectionFactoryOptions
            {
                UnsafePreferInlineScheduling = options.InlineScheduling,
                WaitForDataBeforeAllocatingBuffer = !options.InlineScheduling,
            },
            logger);
        _heartbeat = new Timer(_ => Heartbeat(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public RouteChooser Chooser { get; }

    public EdgeProxyOptions Options { get; }

    public ILogger Logger { get; }

    /// <summary>The middleware for <c>ListenOptions.Use</c>: serves the connection, or hands the rest of it to <paramref name="next"/>.</summary>
    public ConnectionDelegate Use(ConnectionDelegate next) => async client =>
    {
        var connection = new FastPathConnection(this, client);
        _connections.TryAdd(connection, 0);
        bool served;
        try
        {
            served = await connection.RunAsync();
        }
        finally
        {
            _connections.TryRemove(connection, out _);
        }

        if (!served)
        {
            await next(client);
        }
    };

    public UpstreamPool PoolFor(CompiledEndpoint endpoint)
    {
        if (endpoint.Pool is UpstreamPool pool)
        {
            return pool;
        }

        pool = _pools.GetOrAdd(endpoint.Port, static (port, factory) => new UpstreamPool(port, factory), _factory);
        endpoint.Pool = pool;
        return pool;
    }

    private void Heartbeat()
    {
        var now = Environment.TickCount64;
        foreach (var connection in _connections.Keys)
        {
            connection.CheckDeadline(now);
        }

        var before = now - (long)PooledIdleTimeout.TotalMilliseconds;
        foreach (var pool in _pools.Values)
        {
            pool.Evict(before);
        }
    }

    public void Dispose()
    {
        _heartbeat.Dispose();
        foreach (var pool in _pools.Values)
        {
            pool.Evict(long.MaxValue);
        }
    }
}
