using Shipgate.Delivery.Edge;

namespace Shipgate.Edge.Routing;

/// <summary>
/// One service in one environment as the proxy sees it: the host names it answers (<c>SERVICE.ENVIRONMENT.localhost</c>,
/// the environment's hosts; <c>preview.SERVICE.ENVIRONMENT.localhost</c> for <see cref="EdgeRoutingSpec.Preview"/>),
/// every declared release with its healthy endpoints, and the routing (null until set: the service answers 503).
/// </summary>
public sealed record ServiceRoute(
    string Environment,
    string Service,
    IReadOnlyList<string> Hosts,
    IReadOnlyList<ReleaseRoute> Releases,
    EdgeRoutingSpec? Routing);
