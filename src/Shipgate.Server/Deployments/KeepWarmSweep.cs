using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shipgate.Delivery.Edge;
using Shipgate.Server.Hosting;
using Shipgate.Storage.Audit;

namespace Shipgate.Server.Deployments;

/// <summary>
/// Ends blue-green's rollback windows: a deployment that kept its previous release warm records until when; this
/// sweep, every few seconds, stops each previous release whose time has come (unless it serves again after a
/// rollback) and clears the due time. The due time is in the store, so a window survives a restart of the server.
/// </summary>
internal sealed class KeepWarmSweep(ServerStore store, IServiceProvider services, TimeProvider time, ILogger<KeepWarmSweep> logger) : BackgroundService
{
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
                if (services.GetService<IEdgeClient>() is { } edge)
                {
                    try
                    {
                        await SweepAsync(edge, stoppingToken).ConfigureAwait(false);
                    }
                    catch (InvalidOperationException)
                    {
                        // The store is not open yet (or any more): the next sweep tries again.
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Stops every previous release whose window has ended; one that fails is tried again at the next sweep.</summary>
    internal async Task SweepAsync(IEdgeClient edge, CancellationToken cancellationToken)
    {
        var deployments = store.Store.Deployments;
        foreach (var due in await deployments.ListKeepWarmDueAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var previous = due.PreviousReleaseId is { } id ? await deployments.GetReleaseAsync(id, cancellationToken).ConfigureAwait(false) : null;
                var status = await edge.GetServiceAsync(due.Environment, due.Service, cancellationToken).ConfigureAwait(false);
                if (previous is not null && status?.Releases.FirstOrDefault(r => r.Version == previous.Version) is { Weight: 0 })
                {
                    await edge.DeleteReleaseAsync(due.Environment, due.Service, previous.Version, cancellationToken).ConfigureAwait(false);
                    await store.Store.Audit.AppendAsync(
                        new NewAuditEntry
                        {
                            Actor = "shipgate",
                            Action = "release.stop",
                            Target = EnvironmentDeployments.Target(due),
                            Reason = $"The rollback window of deployment {due.Id} ended: {due.Service} {previous.Version} stopped in {due.Environment}.",
                        },
                        cancellationToken).ConfigureAwait(false);
                }

                await deployments.ClearKeepPreviousAsync(due.Id, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is EdgeApiException or EdgeUnavailableException)
            {
                DeploymentLog.KeepWarmFailed(logger, due.Id, ex.Message);
            }
        }
    }
}
