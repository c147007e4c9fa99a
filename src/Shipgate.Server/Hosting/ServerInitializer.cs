using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shipgate.Engine.Runs;
using Shipgate.Engine.Sandbox;
using Shipgate.Server.Auth;

namespace Shipgate.Server.Hosting;

/// <summary>
/// Runs before the listeners open: creates the data directory (0700; an existing one that others may enter
/// is tightened to 0700, or warned about when it cannot be), opens (and migrates) the store and, on first start,
/// creates the admin user, whose token goes to <c>DATA/admin.token</c> (mode 0600). Marks the server ready once
/// it listens.
/// </summary>
internal sealed class ServerInitializer(
    IOptions<ServerOptions> options,
    ServerStore store,
    AdminBootstrap bootstrap,
    ServerReadiness readiness,
    RunEngine engine,
    ServerConsole console,
    IHostApplicationLifetime lifetime,
    ILogger<ServerInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var data = options.Value.DataDirectory!;
        HostingLog.Starting(logger, data);
        if (!OperatingSystem.IsWindows())
        {
            ProtectDataDirectory(data);
        }

        await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        HostingLog.StoreOpened(logger, store.Store.Description, store.Store.SchemaVersion);
        await bootstrap.EnsureAdminAsync(cancellationToken).ConfigureAwait(false);
        await PrepareStepIsolationAsync().ConfigureAwait(false);
        lifetime.ApplicationStarted.Register(readiness.MarkReady);
        lifetime.ApplicationStopping.Register(readiness.MarkStopping);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Creates the runner user when root (throws <see cref="SandboxException"/> when it cannot), or says loudly
    /// that steps are not isolated.
    /// </summary>
    private async Task PrepareStepIsolationAsync()
    {
        if (engine.Sandbox is not { } sandbox)
        {
            var user = Environment.UserName;
            HostingLog.StepsUnisolated(logger, user);
            console.WriteLine($"shipgate: WARNING: steps are NOT isolated (StepIsolation=none): they run as {user} with the server's environment "
                + "and can read the data directory (admin.token, secret.key, the store). Install bubblewrap and remove the setting.");
            return;
        }

        var runner = await sandbox.PrepareAsync().ConfigureAwait(false);
        HostingLog.StepsSandboxed(logger, runner?.Name ?? Environment.UserName);
    }

    /// <summary>
    /// Only the server's user may enter the data folder: what is inside (the store, secret.key, logs of other
    /// projects) is then out of other users' reach whatever the modes of older files in it.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private void ProtectDataDirectory(string data)
    {
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Directory.CreateDirectory(data, OwnerOnly);
        var mode = File.GetUnixFileMode(data);
        if ((mode & ~OwnerOnly) == 0)
        {
            return;
        }

        try
        {
            File.SetUnixFileMode(data, OwnerOnly);
            HostingLog.DataDirectoryTightened(logger, data, Convert.ToString((int)mode, 8));
        }
        catch (UnauthorizedAccessException)
        {
            HostingLog.DataDirectoryOpen(logger, data, Convert.ToString((int)mode, 8));
        }
    }
}
