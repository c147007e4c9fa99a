namespace Shipgate.Delivery.Edge;

/// <summary><c>GET /v1/services/{environment}/{service}</c>: the service's declaration, routing and releases.</summary>
public sealed record EdgeServiceStatus
{
    public required string Environment { get; init; }

    public required string Service { get; init; }

    public required EdgeServiceSpec Spec { get; init; }

    /// <summary>The routing in force; null until one was set (the service then answers 503).</summary>
    public EdgeRoutingSpec? Routing { get; init; }

    public IReadOnlyList<EdgeReleaseStatus> Releases { get; init; } = [];
}
