namespace Shipgate.Delivery.Edge;

/// <summary>
/// What the edge compares between a mirrored copy's answer and the primary answer to the same request (the shadow
/// strategy). Each compared pair counts once; it is a mismatch when any enabled comparison differs.
/// </summary>
public sealed record EdgeMirrorCompare
{
    /// <summary>The status class (2xx, 3xx, 4xx, 5xx) must agree; a copy that got no answer or timed out differs.</summary>
    public bool Status { get; init; } = true;

    /// <summary>
    /// A copy slower than this many times the primary's latency (plus <see cref="LatencySlackMillis"/>) differs;
    /// null: latency is not compared. At least 1.
    /// </summary>
    public double? LatencyRatio { get; init; }

    /// <summary>Latency both may differ by before the ratio applies, so fast routes are not judged on noise. Default 20 ms.</summary>
    public int LatencySlackMillis { get; init; } = 20;

    /// <summary>
    /// Routes whose bodies are compared, as path patterns (<c>/api/orders/*</c>: one segment; <c>/api/**</c>: any
    /// rest of the path; otherwise the exact path). Empty: bodies are not compared.
    /// </summary>
    public IReadOnlyList<string> BodyPaths { get; init; } = [];

    /// <summary>
    /// JSON fields left out of the body comparison: a name (<c>timestamp</c>: that property at any depth) or a path
    /// from the root (<c>$.meta.requestId</c>; <c>[*]</c> for any element of an array: <c>$.items[*].updatedAt</c>).
    /// Bodies that are not both JSON are compared byte for byte.
    /// </summary>
    public IReadOnlyList<string> IgnoreFields { get; init; } = [];

    /// <summary>
    /// Largest body compared, in bytes (1 to 16 MiB), after decoding its <c>Content-Encoding</c> (gzip, deflate, br);
    /// a pair with a larger body is counted as not compared. Default 256 KiB.
    /// </summary>
    public int MaxBodyBytes { get; init; } = 256 * 1024;
}
