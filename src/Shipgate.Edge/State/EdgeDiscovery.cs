namespace Shipgate.Edge.State;

/// <summary>
/// <c>STATE/edge.json</c> (0600): where the edge of a state directory runs, so that <c>shipgate up</c>, <c>shipgate run</c>
/// and <c>shipgate edge stop</c> find it.
/// </summary>
public sealed record EdgeDiscovery
{
    public required int Pid { get; init; }

    /// <summary>The proxy's addresses, e.g. <c>http://127.0.0.1:8080</c>.</summary>
    public required IReadOnlyList<string> Listen { get; init; }

    /// <summary><c>unix:PATH</c> or <c>http://127.0.0.1:PORT</c>.</summary>
    public required string Admin { get; init; }

    /// <summary>The bearer token's file for a TCP admin address; null for a Unix socket.</summary>
    public string? TokenFile { get; init; }

    public required DateTimeOffset StartedAt { get; init; }
}
