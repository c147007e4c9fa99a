using Microsoft.Extensions.Logging.Abstractions;
using Shipgate.Delivery.Edge;
using Shipgate.Edge.Metrics;
using Shipgate.Edge.Proxy;
using Shipgate.Edge.Routing;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Edge.Tests.Proxy;

/// <summary>A real <see cref="EdgeProxyServer"/> on 127.0.0.1:0 with a client that names the host it asks for.</summary>
internal sealed class ProxyHarness : IAsyncDisposable
{
    private ProxyHarness(EdgeProxyServer server, EdgeRouter router, EdgeMetrics metrics)
    {
        Server = server;
        Router = router;
        Metrics = metrics;
        Client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(server.Addresses[0]),
            Timeout = TestTimeouts.Default,
        };
    }

    public EdgeProxyServer Server { get; }

    public EdgeRouter Router { get; }

    public EdgeMetrics Metrics { get; }

    public HttpClient Client { get; }

    public int Port => Client.BaseAddress!.Port;

    public static async Task<ProxyHarness> StartAsync(RouteTable table, EdgeProxyOptions? options = null, Random? random = null)
    {
        var router = new EdgeRouter();
        router.Publish(table);
        var metrics = new EdgeMetrics(TimeProvider.System);
        var server = new EdgeProxyServer(router, metrics, NullLoggerFactory.Instance, TimeProvider.System, options, random ?? new SequenceRandom());
        await server.StartAsync(["127.0.0.1:0"], TestTimeouts.Ct).DefaultTimeout();
        return new ProxyHarness(server, router, metrics);
    }

    /// <summary>A table of one service, web in staging, with the releases given as (version, weight, ports).</summary>
    public static RouteTable Table(EdgeRoutingSpec? routing, params (string Version, int Weight, int[] Ports)[] releases) =>
        new([Service("web", "staging", routing, [], releases)]);

    public static ServiceRoute Service(string service, string environment, EdgeRoutingSpec? routing, string[] hosts,
        params (string Version, int Weight, int[] Ports)[] releases) =>
        new(environment, service, hosts,
            [.. releases.Select(r => new ReleaseRoute(r.Version, r.Weight,
                [.. r.Ports.Select((port, i) => new RouteEndpoint(r.Version + "-" + (i + 1), port))]))],
            routing);

    /// <summary>Routing with the releases' weights (version, per mille).</summary>
    public static EdgeRoutingSpec Weights(params (string Version, int Weight)[] weights) =>
        new() { Weights = weights.ToDictionary(w => w.Version, w => w.Weight) };

    public async Task<HttpResponseMessage> GetAsync(string host, string path = "/", params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host;
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await Client.SendAsync(request, TestTimeouts.Ct).DefaultTimeout();
    }

    public async Task<(int Status, string? Version, string Body)> GetTextAsync(
        string host, string path = "/", params (string Name, string Value)[] headers)
    {
        using var response = await GetAsync(host, path, headers);
        var body = await response.Content.ReadAsStringAsync(TestTimeouts.Ct).DefaultTimeout();
        return ((int)response.StatusCode, response.Headers.TryGetValues("X-Shipgate-Version", out var v) ? v.Single() : null, body);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.StopAsync(CancellationToken.None).WaitAsync(TestTimeouts.Default);
        await Server.DisposeAsync();
    }
}
