using Shipgate.Delivery.Edge;

namespace Shipgate.Edge.State;

/// <summary>A service in one environment: its declaration, its routing (null until set) and its releases.</summary>
internal sealed record PersistedService
{
    public required string Environment { get; init; }

    public required string Service { get; init; }

    public required EdgeServiceSpec Spec { get; init; }

    public EdgeRoutingSpec? Routing { get; init; }

    public List<PersistedRelease> Releases { get; init; } = [];
}
