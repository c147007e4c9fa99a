using Microsoft.Extensions.Logging;
using Shipgate.Edge.Metrics;
using Shipgate.Edge.Routing;

namespace Shipgate.Edge.Proxy;

/// <summary>
/// The public listener: forwards each request to an endpoint of the release the router's current table picks, and
/// records it in <see cref="EdgeMetrics"/>. Skeleton: filled by the proxy work.
/// </summary>
public sealed class EdgeProxyServer(EdgeRouter router, EdgeMetrics metrics, ILoggerFactory loggerFactory, TimeProvider time) : IAsyncDisposable
{
    /// <summary>The addresses it listens on once started, e.g. <c>http://127.0.0.1:8080</c>.</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    /// <summary>Starts listening on each <c>HOST:PORT</c> of <paramref name="listen"/> (port 0: a free one). Throws when a port is taken.</summary>
    public Task StartAsync(IReadOnlyList<string> listen, CancellationToken cancellationToken = default)
    {
        _ = (router, metrics, loggerFactory, time);
        Addresses = listen.Select(l => "http://" + l).ToArray();
        return Task.CompletedTask;
    }

    /// <summary>Stops accepting; requests in flight finish.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
