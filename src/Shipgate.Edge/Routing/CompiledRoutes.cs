using Shipgate.Edge.Comparison;
using Shipgate.Edge.Metrics;

namespace Shipgate.Edge.Routing;

/// <summary>
/// A <see cref="RouteTable"/> compiled for the hot path: a case-insensitive map from host name (looked up by span,
/// so the port is cut off without allocating) to its service. Built once per published table.
/// </summary>
internal sealed class CompiledRoutes
{
    private readonly Dictionary<string, HostTarget>.AlternateLookup<ReadOnlySpan<char>> _hosts;

    private CompiledRoutes(RouteTable table, Dictionary<string, HostTarget> hosts)
    {
        Table = table;
        _hosts = hosts.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The table this was compiled from.</summary>
    public RouteTable Table { get; }

    /// <summary>Host names claimed by more than one service: the first service in the table keeps each.</summary>
    public IReadOnlyList<string> Conflicts { get; private init; } = [];

    public static CompiledRoutes Build(RouteTable table, EdgeRouter router, EdgeMetrics metrics)
    {
        var hosts = new Dictionary<string, HostTarget>(StringComparer.OrdinalIgnoreCase);
        var conflicts = new List<string>();
        foreach (var route in table.Services)
        {
            var mirrorVersion = route.Routing?.Mirror?.Version;
            var releases = route.Releases
                .Select(r => new CompiledRelease(
                    r.Version,
                    [.. r.Endpoints.Select(e => new CompiledEndpoint(e, router.CounterFor(e.InstanceId)))],
                    metrics.For(route.Environment, route.Service, r.Version, mirrored: false))
                {
                    MirrorCounters = r.Version == mirrorVersion ? metrics.For(route.Environment, route.Service, r.Version, mirrored: true) : null,
                })
                .ToList();
            var service = new CompiledService(route.Environment, route.Service, releases, [.. route.Releases.Select(r => r.Weight)], route.Routing)
            {
                MirrorCompare = route.Routing?.Mirror?.Compare is { } compare
                    && releases.FirstOrDefault(r => r.MirrorCounters is not null)?.MirrorCounters is { } mirrored
                    ? new CompiledCompare(compare, mirrored.Compare(), new ExampleMasker(route.Releases.SelectMany(r => r.Variables)))
                    : null,
            };
            var own = route.Service + "." + route.Environment + ".localhost";
            foreach (var host in route.Hosts.Prepend(own))
            {
                Claim(hosts, conflicts, host, new HostTarget(service, Preview: false));
            }

            Claim(hosts, conflicts, "preview." + own, new HostTarget(service, Preview: true));
        }

        return new CompiledRoutes(table, hosts) { Conflicts = conflicts };
    }

    /// <summary>The service for a <c>Host</c> header's value: the port and a trailing dot are ignored, case too.</summary>
    public bool TryFind(ReadOnlySpan<char> host, out HostTarget target)
    {
        if (host.StartsWith('['))
        {
            var end = host.IndexOf(']');
            host = end < 0 ? host : host[..(end + 1)];
        }
        else if (host.LastIndexOf(':') is var colon and >= 0)
        {
            host = host[..colon];
        }

        if (host.EndsWith('.'))
        {
            host = host[..^1];
        }

        return _hosts.TryGetValue(host, out target);
    }

    private static void Claim(Dictionary<string, HostTarget> hosts, List<string> conflicts, string host, HostTarget target)
    {
        if (!hosts.TryAdd(host, target) && hosts[host].Service != target.Service)
        {
            conflicts.Add(host);
        }
    }
}
