namespace Shipgate.Edge.Routing;

/// <summary>
/// Everything the proxy routes, immutable: the supervisor builds a new table whenever the desired state or an
/// instance's health changes and publishes it through <see cref="EdgeRouter.Publish"/>; a request reads one table.
/// </summary>
public sealed record RouteTable(IReadOnlyList<ServiceRoute> Services)
{
    public static RouteTable Empty { get; } = new([]);
}
