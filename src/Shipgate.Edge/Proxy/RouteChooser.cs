using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Shipgate.Edge.Metrics;
using Shipgate.Edge.Routing;

namespace Shipgate.Edge.Proxy;

/// <summary>
/// Chooses where a request goes (pin header, preview host, header routes, weights) from the router's current
/// table, compiled once per publish, and counts the chosen endpoint in flight. Shared by both forwarding paths.
/// </summary>
internal sealed class RouteChooser(EdgeRouter router, EdgeMetrics metrics, Random random, ILogger logger)
{
    private readonly Lock _compiling = new();
    private CompiledRoutes? _routes;

    public Random Random => random;

    /// <summary>The release and its first endpoint (counted in flight), or the refusal.</summary>
    public Decision Decide<TRequest>(ReadOnlySpan<char> host, TRequest request)
        where TRequest : IRoutingRequest
    {
        // Choosing is a critical section of the router's phaser: when Publish returns, every request that read an
        // older table already counts in its instance's InFlight, so a drain that waits for 0 misses none.
        var phase = router.EnterChoosing();
        try
        {
            return Choose(host, request);
        }
        finally
        {
            router.ExitChoosing(phase);
        }
    }

    private Decision Choose<TRequest>(ReadOnlySpan<char> host, TRequest request)
        where TRequest : IRoutingRequest
    {
        if (!Routes().TryFind(host, out var target))
        {
            return Decision.Refuse(StatusCodes.Status404NotFound, "No service answers to this host name.");
        }

        var service = target.Service;
        string? setCookie = null;
        CompiledRelease? release;
        if (request.Header(ForwardingTransformer.VersionHeader) is { } pinned)
        {
            if (!service.TryGetRelease(pinned, out release))
            {
                return Decision.Refuse(StatusCodes.Status404NotFound, "The service has no release by the version X-Shipgate-Version names.");
            }
        }
        else if (target.Preview)
        {
            release = service.Preview;
            if (release is null)
            {
                return Decision.Refuse(StatusCodes.Status404NotFound, "The service has no preview release.");
            }
        }
        else if (!service.HasRouting)
        {
            return Decision.Refuse(StatusCodes.Status503ServiceUnavailable, "The service has no routing yet.");
        }
        else
        {
            release = service.Choose(request, random, out setCookie);
        }

        var endpoint = release.Pick(0);
        if (endpoint < 0)
        {
            return Decision.Refuse(StatusCodes.Status503ServiceUnavailable, "No instance of the release is healthy.", release);
        }

        release.Endpoints[endpoint].InFlight.Increment();
        return new Decision(0, null, service, release, endpoint, setCookie);
    }

    // The table is compiled on the first request after a publish; a request never waits on another's compile
    // longer than that one compile.
    private CompiledRoutes Routes()
    {
        var table = router.Current;
        var routes = Volatile.Read(ref _routes);
        if (ReferenceEquals(routes?.Table, table))
        {
            return routes;
        }

        lock (_compiling)
        {
            routes = _routes;
            if (!ReferenceEquals(routes?.Table, table))
            {
                routes = CompiledRoutes.Build(table, router, metrics);
                foreach (var host in routes.Conflicts)
                {
                    Log.HostConflict(logger, host);
                }

                Volatile.Write(ref _routes, routes);
            }

            return routes;
        }
    }
}
