using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shipgate.Server.Hosting;
using Shipgate.Server.Ui;

namespace Shipgate.Server;

/// <summary>
/// The Shipgate server: the REST API on Kestrel (127.0.0.1), the scheduler with its in-process runner,
/// the repository watcher and the schedules. <c>shipgate up</c> runs one in the foreground; tests start
/// one on a free port.
/// </summary>
public sealed class ShipgateServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ShipgateServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The services, for hosts and tests.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The API's base address (<c>http://127.0.0.1:PORT</c>), known once started.</summary>
    public Uri Url
    {
        get
        {
            var ui = UiUrl.ToString().TrimEnd('/');
            var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => a.TrimEnd('/') != ui)
                ?? throw new InvalidOperationException("The server is not started.");
            return new Uri(address);
        }
    }

    /// <summary>The web UI's base address (<c>http://127.0.0.1:PORT/</c>), known once started.</summary>
    public Uri UiUrl => _app.Services.GetRequiredService<UiListeners>().Url ?? throw new InvalidOperationException("The server is not started.");

    /// <summary>
    /// A one-time link (10 minutes) that signs the first enabled admin in to the web UI, for <c>shipgate up</c> to print;
    /// null when there is no enabled admin.
    /// </summary>
    public async Task<Uri?> CreateAdminSignInLinkAsync(CancellationToken cancellationToken = default)
    {
        var store = _app.Services.GetRequiredService<ServerStore>().Store;
        var admin = (await store.Users.ListUsersAsync(cancellationToken).ConfigureAwait(false))
            .Where(u => u.Role == Storage.Users.UserRole.Admin && u.DisabledAt is null)
            .OrderBy(u => u.Id)
            .FirstOrDefault();
        return admin is null ? null
            : new Uri(UiUrl, "signin/" + await store.Sessions.CreateSignInTicketAsync(admin.Id, null, UiEndpoints.SignInLinkLifetime, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The validated options in force.</summary>
    public ServerOptions Options => _app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;

    /// <summary>
    /// Builds a server. <paramref name="configure"/> sets the options (the <c>Shipgate</c> configuration
    /// section is bound first); <paramref name="configureServices"/> may replace services (tests).
    /// </summary>
    public static ShipgateServer Create(Action<ServerOptions>? configure = null, Action<IServiceCollection>? configureServices = null, TextWriter? console = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(ShipgateServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);

        // Data protection (pulled in by authentication) is unused: tokens are bearer tokens, not cookies.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);

        var options = builder.Services.AddOptions<ServerOptions>().Bind(builder.Configuration.GetSection(ServerOptions.SectionName));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (console is not null)
        {
            builder.Services.AddSingleton(new ServerConsole(console));
        }

        builder.Services.AddShipgateServer();
        configureServices?.Invoke(builder.Services);

        // Kestrel listens on loopback only: remote access goes through a proxy the operator chooses.
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<ServerOptions>>((kestrel, server) =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = server.Value.MaxRequestBodyBytes;
            kestrel.Listen(IPAddress.Loopback, server.Value.Port);
        });
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<ServerOptions>, UiListeners>((kestrel, server, ui) =>
            kestrel.Listen(IPAddress.Loopback, server.Value.UiPort, listen => ui.Ui = listen));
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<ServerOptions>>((host, server) => host.ShutdownTimeout = server.Value.ShutdownTimeout);

        var app = builder.Build();
        app.MapShipgateEndpoints();
        return new ShipgateServer(app);
    }

    /// <summary>Opens the store, creates the admin on first start, and starts listening. Throws <see cref="OptionsValidationException"/> for invalid options.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => _app.StartAsync(cancellationToken);

    /// <summary>Stops listening, cancels in-flight runs gracefully and waits for them (at most <see cref="ServerOptions.ShutdownTimeout"/>).</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <summary>Waits until Ctrl-C, SIGTERM or <paramref name="cancellationToken"/>, then stops the server.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
