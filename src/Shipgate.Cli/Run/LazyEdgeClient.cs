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

    public Task<EdgeInfo> GetInfoAsync(CancellationToken cancellationToken = default) =>
        CallAsync(c => c.GetInfoAsync(cancellationToken), cancellationToken);

    public Task<bool> HasArtifactAsync(string digest, CancellationToken cancellationToken = default) =>
        CallAsync(c => c.HasArtifactAsync(digest, cancellationToken), cancellationToken);

    public Task UploadArtifactAsync(string digest, Stream tar, CancellationToken cancellationToken = default) =>
        CallAsync(c => Done(c.UploadArtifactAsync(digest, tar, cancellationToken)), cancellationToken);

    public Task<EdgeServiceStatus> PutServiceAsync(
        string environment, string service, EdgeServiceSpec spec, CancellationToken cancellationToken = default) =>
        CallAsync(c => c.PutServiceAsync(environment, service, spec, cancellationToken), cancellationToken);

    public Task DeleteServiceAsync(string environment, string service, CancellationToken cancellationToken = default) =>
        CallAsync(c => Done(c.DeleteServiceAsync(environment, service, cancellationToken)), cancellationToken);

    public Task<EdgeReleaseStatus> PutReleaseAsync(
        string environment, string service, string version, EdgeReleaseSpec spec, CancellationToken cancellationToken = default) =>
        CallAsync(c => c.PutReleaseAsync(environment, service, version, spec, cancellationToken), cancellationToken);

    public Task DeleteReleaseAsync(string environment, string service, string version, CancellationToken cancellationToken = default) =>
        CallAsync(c => Done(c.DeleteReleaseAsync(environment, service, version, cancellationToken)), cancellationToken);

    public Task<EdgeServiceStatus> SetRoutingAsync(
        string environment, string service, EdgeRoutingSpec routing, CancellationToken cancellationToken = default) =>
        CallAsync(c => c.SetRoutingAsync(environment, service, routing, cancellationToken), cancellationToken);

    public Task<EdgeServiceStatus?> GetServiceAsync(string environment, string service, CancellationToken cancellationToken = default) =>
        CallAsync(c => c.GetServiceAsync(environment, service, cancellationToken), cancellationToken);

    public Task<EdgeState> GetStateAsync(CancellationToken cancellationToken = default) =>
        CallAsync(c => c.GetStateAsync(cancellationToken), cancellationToken);

    public Task<EdgeMetricsSnapshot> GetMetricsAsync(CancellationToken cancellationToken = default) =>
        CallAsync(c => c.GetMetricsAsync(cancellationToken), cancellationToken);

    public async IAsyncEnumerable<string> ReadLogsAsync(
        string environment,
        string service,
        string? version,
        int tail,
        bool follow,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var line in client.ReadLogsAsync(environment, service, version, tail, follow, cancellationToken).ConfigureAwait(false))
        {
            yield return line;
        }
    }

    public void Dispose() => _client?.Dispose();

    private static async Task<bool> Done(Task call)
    {
        await call.ConfigureAwait(false);
        return true;
    }

    private async Task<T> CallAsync<T>(Func<EdgeClient, Task<T>> call, CancellationToken cancellationToken) =>
        await call(await ClientAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);

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
