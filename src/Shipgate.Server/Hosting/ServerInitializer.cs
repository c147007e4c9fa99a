using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shipgate.Server.Auth;

namespace Shipgate.Server.Hosting;

/// <summary>
/// Runs before the listeners open: creates the data directory, opens (and migrates) the store and, on
/// first start, creates the admin user,
/// whose token goes to <c>DATA/admin.token</c> (mode 0600). Marks the server ready once it listens.
/// </summary>
internal sealed class ServerInitializer(
    IOptions<ServerOptions> options,
    ServerStore store,
    AdminBootstrap bootstrap,
    ServerReadiness readiness,
    IHostApplicationLifetime lifetime,
    ILogger<ServerInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var data = options.Value.DataDirectory!;
        Directory.CreateDirectory(data);
        HostingLog.Starting(logger, data);
        await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        HostingLog.StoreOpened(logger, store.Store.Description, store.Store.SchemaVersion);
        await bootstrap.EnsureAdminAsync(cancellationToken).ConfigureAwait(false);
        lifetime.ApplicationStarted.Register(readiness.MarkReady);
        lifetime.ApplicationStopping.Register(readiness.MarkStopping);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
