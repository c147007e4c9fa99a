namespace Shipgate.Delivery.Edge;

/// <summary><c>GET /v1/state</c>: every service the edge holds.</summary>
public sealed record EdgeState
{
    public IReadOnlyList<EdgeServiceStatus> Services { get; init; } = [];
}
