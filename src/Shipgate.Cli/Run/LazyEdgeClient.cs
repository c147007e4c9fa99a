using Shipgate.Delivery.Edge;
using Shipgate.Edge.Hosting;

namespace Shipgate.Cli.Run;

/// <summary>
/// The edge of <c>shipgate run</c>: started (or attached to) on first use, under the run's data directory, and left
/// running afterwards so that what the run deployed stays up (<c>shipgate edge stop --state DATA/edge</c> ends it).
/// Offered to built-in actions as <see cref="IEdgeClient"/> through <see cref="IServiceProvider"/>.
/// </summary>
internal sealed class LazyEdgeClient(EdgeLaunchOptions options) : IEdgeClient, IServiceProvider, IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private EdgeClient? _client;

    public object? GetService(Type serviceType) => serviceType == typeof(IEdgeClient) ? this : null;

    public async Task<EdgeInfo> GetInfoAsync(CancellationToken cancellationToken = default) =>
        await (await ClientAsync(cancellationToken).ConfigureAwait(false)).GetInfoAsync(cancellationToken).ConfigureAwait(false);

    public async Task<bool> HasArtifactAsync(string digest, CancellationToken cancellationToken = default) =>
        await (await ClientAsync(cancellationToken).ConfigureAwait(false)).HasArtifactAsync(digest, cancellationToken).ConfigureAwait(false);

    public async Task UploadArtifactAsync(string digest, Stream tar, CancellationToken cancellationToken = default) =>
        await (await ClientAsync(cancellationToken).ConfigureAwait(false)).UploadArtifactAsync(digest, tar, cancellationToken).ConfigureAwait(false);

    public async Task<EdgeServiceStatus> PutServiceAsync(string environment, string service, EdgeServiceSpec spec, CancellationToken cancellationToken = default) =>
        await (await ClientAsync(cancellationToken).ConfigureAwait(false)).PutServiceAsync(environment, service, spec, cancellationToken).ConfigureAwait(false);

    public async Task DeleteServiceAsync(string environment, string service, CancellationToken cancellationToken = default) =>
        await (await ClientAsync(cancellationToken).ConfigureAwait(false)).DeleteServiceAsync(environment, service, cancellationToken).ConfigureAwait(false);

    public async Task<EdgeReleaseStatus> PutReleaseAsync(
        string environment, string service, string version, EdgeReleaseSpec spec, CancellationToken cancellationToken = default) =>
        await (await ClientAsync(cancellationToken).ConfigureAwait(false)).PutReleaseAsync(environment, service, version, spec, cancellationToken).ConfigureAwait(false);

    public async Task DeleteReleaseAsync(string environment, string service, string version, CancellationToken cancellationToken = default) =>
        await (await ClientAsync(cancellationToken).ConfigureAwait(false)).DeleteReleaseAsync(environment, service, version, cancellationToken).ConfigureAwait(false);

    public async Task<EdgeServiceStatus> SetRoutingAsync(string environment, string service, EdgeRoutingSpec routing, CancellationToken cancellationToken = default) =>
        await (await ClientAsync(cancellationToken).ConfigureAwait(false)).SetRoutingAsync(environment, service, routing, cancellationToken).ConfigureAwait(false);

    public async Task<EdgeServiceStatus?> GetServiceAsync(string environment, string service, CancellationToken cancellationToken = default) =>
        await (await ClientAsync(cancellationToken).ConfigureAwait(false)).GetServiceAsync(environment, service, cancellationToken).ConfigureAwait(false);

    public async Task<EdgeState> GetStateAsync(CancellationToken cancellationToken = default) =>
        await (await ClientAsync(cancellationToken).ConfigureAwait(false)).GetStateAsync(cancellationToken).ConfigureAwait(false);

    public async Task<EdgeMetricsSnapshot> GetMetricsAsync(CancellationToken cancellationToken = default) =>
        await (await ClientAsync(cancellationToken).ConfigureAwait(false)).GetMetricsAsync(cancellationToken).ConfigureAwait(false);

    public async IAsyncEnumerable<string> ReadLogsAsync(
        string environment, string service, string? version, int tail, bool follow, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var line in client.ReadLogsAsync(environment, service, version, tail, follow, cancellationToken).ConfigureAwait(false))
        {
            yield return line;
        }
    }

    public void Dispose() => _client?.Dispose();

    /// <summary>The client of the running edge; an edge that cannot start is unavailable (the deploy step fails saying why).</summary>
    private async Task<EdgeClient> ClientAsync(CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_client is null)
            {
                try
                {
                    _client = new EdgeClient(await EdgeLauncher.EnsureRunningAsync(options, cancellationToken).ConfigureAwait(false));
                }
                catch (EdgeStartException ex)
                {
                    throw new EdgeUnavailableException(ex.Message, ex);
                }
            }

            return _client;
        }
        finally
        {
            _turn.Release();
        }
    }
}
