using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Shipgate.Delivery.Edge;
using Shipgate.Edge.Metrics;
using Shipgate.Edge.Proxy;
using Shipgate.Edge.Routing;

namespace Shipgate.Benchmarks;

/// <summary>
/// What the edge's proxy adds per request on top of forwarding: finding the service by Host (with a port to cut
/// off), choosing the release from the 90/10 buckets (random or by a sticky cookie), picking the endpoint, and
/// recording the answer in the release's lock-free counters. The baseline is one plain dictionary lookup of the host.
/// Run: <c>dotnet run -c Release --project bench/Shipgate.Benchmarks -- --filter '*EdgeRouting*'</c>.
/// </summary>
[MemoryDiagnoser]
public class EdgeRoutingBenchmarks
{
    private readonly Dictionary<string, int> _plain = new(StringComparer.OrdinalIgnoreCase) { ["web.bench.localhost"] = 1 };
    private readonly Random _random = new(42);
    private CompiledRoutes _routes = null!;
    private HttpRequest _request = null!;
    private HttpRequest _stickyRequest = null!;
    private CompiledRoutes _stickyRoutes = null!;

    [GlobalSetup]
    public void Setup()
    {
        var router = new EdgeRouter();
        var metrics = new EdgeMetrics(TimeProvider.System);
        ReleaseRoute[] releases =
        [
            new("v1", 900, [new RouteEndpoint("v1-1", 5001), new RouteEndpoint("v1-2", 5002)]),
            new("v2", 100, [new RouteEndpoint("v2-1", 5003)]),
        ];
        var routing = new EdgeRoutingSpec { Weights = new Dictionary<string, int> { ["v1"] = 900, ["v2"] = 100 } };
        _routes = CompiledRoutes.Build(new RouteTable([new ServiceRoute("bench", "web", [], releases, routing)]), router, metrics);
        var sticky = routing with { Sticky = new EdgeStickiness { Kind = "cookie", Name = "sg" } };
        _stickyRoutes = CompiledRoutes.Build(new RouteTable([new ServiceRoute("bench", "web", [], releases, sticky)]), router, metrics);
        _request = new DefaultHttpContext().Request;
        _request.Headers.Host = "web.bench.localhost:8080";
        _stickyRequest = new DefaultHttpContext().Request;
        _stickyRequest.Headers.Host = "web.bench.localhost:8080";
        _stickyRequest.Headers.Cookie = "sg=950";
    }

    [Benchmark(Baseline = true)]
    public int DictionaryLookup() => _plain["web.bench.localhost"];

    [Benchmark]
    public int RouteRandom() => Route(_routes, _request);

    [Benchmark]
    public int RouteStickyCookie() => Route(_stickyRoutes, _stickyRequest);

    private int Route(CompiledRoutes routes, HttpRequest request)
    {
        routes.TryFind(request.Headers.Host.ToString(), out var target);
        var release = target.Service.Choose(new AspNetRoutingRequest(request), _random, out _);
        var index = release.Pick(0);
        var endpoint = release.Endpoints[index];
        endpoint.InFlight.Increment();
        release.Counters.Started();
        release.Counters.Answered(200, 850);
        endpoint.InFlight.Decrement();
        return index;
    }
}
