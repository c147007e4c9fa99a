namespace Shipgate.Delivery.Edge;

/// <summary>The admin API over HTTP (a Unix socket or TCP with a bearer token). Not built yet: filled by the edge's admin work.</summary>
public sealed class EdgeClient(EdgeConnection connection) : IEdgeClient, IDisposable
{
    public EdgeConnection Connection { get; } = connection;

    public Task<EdgeInfo> GetInfoAsync(CancellationToken cancellationToken = default) => throw NotBuilt();

    public Task<bool> HasArtifactAsync(string digest, CancellationToken cancellationToken = default) => throw NotBuilt();

    public Task UploadArtifactAsync(string digest, Stream tar, CancellationToken cancellationToken = default) => throw NotBuilt();

    public Task<EdgeServiceStatus> PutServiceAsync(string environment, string service, EdgeServiceSpec spec, CancellationToken cancellationToken = default) => throw NotBuilt();

    public Task DeleteServiceAsync(string environment, string service, CancellationToken cancellationToken = default) => throw NotBuilt();

    public Task<EdgeReleaseStatus> PutReleaseAsync(string environment, string service, string version, EdgeReleaseSpec spec, CancellationToken cancellationToken = default) => throw NotBuilt();

    public Task DeleteReleaseAsync(string environment, string service, string version, CancellationToken cancellationToken = default) => throw NotBuilt();

    public Task<EdgeServiceStatus> SetRoutingAsync(string environment, string service, EdgeRoutingSpec routing, CancellationToken cancellationToken = default) => throw NotBuilt();

    public Task<EdgeServiceStatus?> GetServiceAsync(string environment, string service, CancellationToken cancellationToken = default) => throw NotBuilt();

    public Task<EdgeState> GetStateAsync(CancellationToken cancellationToken = default) => throw NotBuilt();

    public Task<EdgeMetricsSnapshot> GetMetricsAsync(CancellationToken cancellationToken = default) => throw NotBuilt();

    public IAsyncEnumerable<string> ReadLogsAsync(string environment, string service, string? version, int tail, bool follow, CancellationToken cancellationToken = default) => throw NotBuilt();

    public void Dispose()
    {
    }

    private static NotSupportedException NotBuilt() => new("The edge client is not built yet.");
}
