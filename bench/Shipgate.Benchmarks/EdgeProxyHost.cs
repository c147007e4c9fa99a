using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Shipgate.Delivery.Edge;
using Shipgate.Edge.Metrics;
using Shipgate.Edge.Proxy;
using Shipgate.Edge.Routing;

namespace Shipgate.Benchmarks;

/// <summary>
/// <c>edge-proxy --listen HOST:PORT --release VERSION=WEIGHT:PORT[,PORT...] ... [--inline-scheduling true|false] [--fast-path true|false]</c>: the edge's proxy alone, with a
/// fixed route table for <c>web.bench.localhost</c>, for bench/edge-proxy/run.sh. Prints its address, serves until
/// SIGTERM or SIGINT, then prints each release's request count from the metrics.
/// </summary>
internal static class EdgeProxyHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var listen = "127.0.0.1:0";
        var releases = new List<ReleaseRoute>();
        var options = new EdgeProxyOptions();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "--listen")
            {
                listen = args[i + 1];
            }
            else if (args[i] == "--inline-scheduling")
            {
                options = options with { InlineScheduling = bool.Parse(args[i + 1]) };
            }
            else if (args[i] == "--fast-path")
            {
                options = options with { FastPath = bool.Parse(args[i + 1]) };
            }
            else if (args[i] == "--release")
            {
                var (version, rest) = (args[i + 1].Split('=')[0], args[i + 1].Split('=')[1]);
                var (weight, ports) = (int.Parse(rest.Split(':')[0]), rest.Split(':')[1].Split(','));
                releases.Add(new ReleaseRoute(version, weight, [.. ports.Select((p, n) => new RouteEndpoint($"{version}-{n + 1}", int.Parse(p)))]));
            }
        }

        using var sampler = Environment.GetEnvironmentVariable("SHIPGATE_BENCH_ALLOCATIONS") == "1" ? new AllocationSampler() : null;
        var router = new EdgeRouter();
        var routing = new EdgeRoutingSpec { Weights = releases.ToDictionary(r => r.Version, r => r.Weight) };
        router.Publish(new RouteTable([new ServiceRoute("bench", "web", [], releases, routing)]));
        var metrics = new EdgeMetrics(TimeProvider.System);
        // The logging `shipgate edge` runs with (EdgeCommand): whether a category is enabled decides what ASP.NET Core's
        // hosting does per request, so a host with no loggers at all would measure a cheaper path than the product's.
        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(console => console.SingleLine = true)
            .AddFilter("Microsoft", LogLevel.Warning));
        await using var server = new EdgeProxyServer(router, metrics, loggerFactory, TimeProvider.System, options);
        await server.StartAsync([listen]);
        Console.WriteLine("listening " + server.Addresses[0]);

        var stop = new TaskCompletionSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
        await stop.Task;
        await server.StopAsync();
        var releasesNow = metrics.Snapshot().Releases;
        foreach (var release in releasesNow)
        {
            Console.WriteLine($"{release.Version}: {release.Requests} requests, {release.Status2xx} 2xx, {release.TransportErrors} transport errors");
        }

        var requests = Math.Max(1, releasesNow.Sum(r => r.Requests));
        Console.WriteLine($"allocated: {GC.GetTotalAllocatedBytes() / requests} bytes per request, {GC.CollectionCount(0)} gen0 collections");

        sampler?.Print();
        return 0;
    }
}
