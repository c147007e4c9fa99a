using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shipgate.Storage;

namespace Shipgate.Server.Hosting;

/// <summary>
/// The store of this server, opened (and migrated) when the server starts, before anything uses it,
/// and closed when it stops. Everything durable goes through <see cref="Store"/>.
/// </summary>
internal sealed class ServerStore(IOptions<ServerOptions> options, TimeProvider time, ILoggerFactory loggers) : IAsyncDisposable
{
    private ShipgateStore? _store;

    /// <summary>The open store; throws when the server has not started.</summary>
    public ShipgateStore Store => _store ?? throw new InvalidOperationException("The store is not open: the server has not started.");

    /// <summary>Opens the store. Throws <see cref="StoreException"/> (one sentence) when it cannot.</summary>
    public async Task OpenAsync(CancellationToken cancellationToken = default)
    {
        _store ??= await ShipgateStore.OpenAsync(
            new StoreOptions
            {
                DataDirectory = options.Value.DataDirectory!,
                ConnectionString = options.Value.Database,
                TimeProvider = time,
                Logger = loggers.CreateLogger<ShipgateStore>(),
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
            _store = null;
        }
    }
}
