namespace Shipgate.Edge.Routing;

/// <summary>An endpoint ready to forward to: its destination prefix built once, and its instance's in-flight counter.</summary>
internal sealed class CompiledEndpoint(RouteEndpoint endpoint, InFlightCounter inFlight)
{
    public string InstanceId { get; } = endpoint.InstanceId;

    /// <summary><c>http://127.0.0.1:PORT</c>, what the forwarder puts before the request's path.</summary>
    public string Prefix { get; } = "http://127.0.0.1:" + endpoint.Port;

    public int Port { get; } = endpoint.Port;

    public InFlightCounter InFlight { get; } = inFlight;

    /// <summary>The fast path's pool of connections to the instance, found once per compiled table.</summary>
    public object? Pool { get; set; }
}
