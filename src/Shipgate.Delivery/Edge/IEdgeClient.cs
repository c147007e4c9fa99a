namespace Shipgate.Delivery.Edge;

/// <summary>
/// The edge's admin API (docs/edge.md), the only way the server reaches an edge, so that one server can drive edges
/// on other hosts. A refusal (bad input, unknown service or release, conflict) throws <see cref="EdgeApiException"/>
/// with the edge's one-sentence reason; an edge that cannot be reached throws <see cref="EdgeUnavailableException"/>.
/// </summary>
public interface IEdgeClient
{
    /// <summary><c>GET /v1/info</c>.</summary>
    Task<EdgeInfo> GetInfoAsync(CancellationToken cancellationToken = default);

    /// <summary><c>HEAD /v1/artifacts/{digest}</c>: true when the edge has the artifact unpacked.</summary>
    Task<bool> HasArtifactAsync(string digest, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>PUT /v1/artifacts/{digest}</c> with a tar stream of the artifact's files (regular files and directories
    /// only, relative paths). The edge unpacks it into a release directory named by the digest, refuses absolute
    /// paths, <c>..</c> and links, and refuses the upload when the files' manifest digest is not <paramref name="digest"/>.
    /// </summary>
    Task UploadArtifactAsync(string digest, Stream tar, CancellationToken cancellationToken = default);

    /// <summary><c>PUT /v1/services/{environment}/{service}</c>.</summary>
    Task<EdgeServiceStatus> PutServiceAsync(string environment, string service, EdgeServiceSpec spec, CancellationToken cancellationToken = default);

    /// <summary><c>DELETE /v1/services/{environment}/{service}</c>: out of routing, drained, every instance stopped.</summary>
    Task DeleteServiceAsync(string environment, string service, CancellationToken cancellationToken = default);

    /// <summary><c>PUT /v1/services/{environment}/{service}/releases/{version}</c>: starts its instances; returns at once.</summary>
    Task<EdgeReleaseStatus> PutReleaseAsync(string environment, string service, string version, EdgeReleaseSpec spec, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>DELETE /v1/services/{environment}/{service}/releases/{version}</c>: refused (409) while the release has a
    /// weight; else its instances drain and stop. Returns when they have stopped.
    /// </summary>
    Task DeleteReleaseAsync(string environment, string service, string version, CancellationToken cancellationToken = default);

    /// <summary><c>PUT /v1/services/{environment}/{service}/routing</c>: applied atomically, persisted before it returns.</summary>
    Task<EdgeServiceStatus> SetRoutingAsync(string environment, string service, EdgeRoutingSpec routing, CancellationToken cancellationToken = default);

    /// <summary><c>GET /v1/services/{environment}/{service}</c>; null when the edge does not know the service.</summary>
    Task<EdgeServiceStatus?> GetServiceAsync(string environment, string service, CancellationToken cancellationToken = default);

    /// <summary><c>GET /v1/state</c>.</summary>
    Task<EdgeState> GetStateAsync(CancellationToken cancellationToken = default);

    /// <summary><c>GET /v1/metrics</c>.</summary>
    Task<EdgeMetricsSnapshot> GetMetricsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>GET /v1/services/{environment}/{service}/logs?version=V&amp;tail=N&amp;follow=true</c>: the instances' output,
    /// one line each prefixed with the instance id; <paramref name="version"/> null for every release. With
    /// <paramref name="follow"/> the lines go on until cancelled.
    /// </summary>
    IAsyncEnumerable<string> ReadLogsAsync(string environment, string service, string? version, int tail, bool follow, CancellationToken cancellationToken = default);
}
