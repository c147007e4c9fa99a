namespace Shipgate.Delivery.Edge;

/// <summary><c>GET /v1/info</c>: which edge answers.</summary>
public sealed record EdgeInfo
{
    /// <summary>Shipgate's version of the edge binary.</summary>
    public required string Version { get; init; }

    public required int Pid { get; init; }

    /// <summary>The proxy's listening addresses, e.g. <c>http://127.0.0.1:8080</c>.</summary>
    public required IReadOnlyList<string> Listen { get; init; }

    public required string StateDirectory { get; init; }

    public required DateTimeOffset StartedAt { get; init; }
}
