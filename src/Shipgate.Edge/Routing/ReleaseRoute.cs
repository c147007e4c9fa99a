namespace Shipgate.Edge.Routing;

/// <summary>A release as the proxy sees it: its version, its weight (per mille) and the instances that pass health checks now.</summary>
public sealed record ReleaseRoute(string Version, int Weight, IReadOnlyList<RouteEndpoint> Endpoints);
