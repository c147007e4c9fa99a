namespace Shipgate.Edge.Routing;

/// <summary>A release as the proxy sees it: its version, its weight (per mille) and the instances that pass health checks now.</summary>
public sealed record ReleaseRoute(string Version, int Weight, IReadOnlyList<RouteEndpoint> Endpoints)
{
    /// <summary>
    /// The variables its instances get (the environment's variables and secrets): a comparing mirror masks their
    /// values in the examples it keeps. Default none.
    /// </summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();
}
