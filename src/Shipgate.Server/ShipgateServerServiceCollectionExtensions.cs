using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Shipgate.Server.Api;
using Shipgate.Server.Auth;
using Shipgate.Delivery.Approvals;
using Shipgate.Delivery.Analysis;
using Shipgate.Delivery.Edge;
using Shipgate.Engine.Actions;
using Shipgate.Server.Approvals;
using Shipgate.Server.Deployments;
using Shipgate.Server.Demo;
using Shipgate.Engine.Runs;
using Shipgate.Engine.Sandbox;
using Shipgate.Server.Hosting;
using Shipgate.Server.Projects;
using Shipgate.Server.Runs;
using Shipgate.Server.Triggers;
using Shipgate.Server.Workflows;

namespace Shipgate.Server;

/// <summary>Registers the server's services; each with TryAdd, so a host or a test can replace any piece first.</summary>
public static class ShipgateServerServiceCollectionExtensions
{
    /// <summary>Adds the Shipgate API, auth, scheduler, runner and triggers. Options come from <see cref="ServerOptions"/>.</summary>
    public static IServiceCollection AddShipgateServer(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ServerOptions>().ValidateOnStart();
        services.PostConfigure<ServerOptions>(options =>
        {
            options.DataDirectory = string.IsNullOrWhiteSpace(options.DataDirectory) ? ServerOptions.DefaultDataDirectory() : Path.GetFullPath(options.DataDirectory);
            options.Database ??= Environment.GetEnvironmentVariable("SHIPGATE_DB") is { Length: > 0 } db ? db : null;
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ServerConsole>();
        services.TryAddSingleton<ServerReadiness>();

        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
            // The flag document and its flags, as Shipgate.Flags writes them (docs/flags.md).
            json.SerializerOptions.TypeInfoResolverChain.Add(Shipgate.Flags.Document.FlagJsonContext.Default);
        });
        services.AddProblemDetails();
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Shipgate API";
            document.Info.Description = "Projects, runs, logs (server-sent events), users and tokens of a Shipgate server.";
            return Task.CompletedTask;
        }));

        services.TryAddSingleton<ServerStore>();
        services.TryAddSingleton<AdminBootstrap>();
        // Before AddAuthorization, whose TryAdd would otherwise install the default (bodiless 401/403) handler.
        services.TryAddSingleton<IAuthorizationMiddlewareResultHandler, ApiAuthorizationResultHandler>();
        services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        ApiPolicies.Add(services.AddAuthorizationBuilder());

        services.TryAddSingleton<ProjectRepositories>();
        services.TryAddSingleton<Insights.DeliveryInsights>();
        services.TryAddSingleton<WorkflowCatalog>();
        services.TryAddSingleton(sp => new RunEngine(
            new RunEngineOptions
            {
                ConcurrencyGroups = new ConcurrencyGroups(),
                Sandbox = sp.GetRequiredService<IOptions<ServerOptions>>().Value is { StepIsolation: StepIsolation.Sandbox } server
                    ? new StepSandbox(server.RunnerUser)
                    : null,
                MaxStepLogBytes = sp.GetRequiredService<IOptions<ServerOptions>>().Value.MaxStepLogBytes,
            },
            BuiltinActions.CreateDefault().Values.Concat(DeploymentActions.Create())));
        // No edge configured: none is registered (the factory answers null), and shipgate/deploy says so.
        services.TryAddSingleton<IEdgeClient>(sp => sp.GetRequiredService<IOptions<ServerOptions>>().Value.Edge is { Admin: { Length: > 0 } admin } edge
            ? new EdgeClient(new EdgeConnection(admin, edge.TokenFile))
            : null!);
        // The canary's judge (issue 9): replaceable by a test or a host; none without an edge, like the edge client.
        services.TryAddSingleton<ICanaryAnalyst>(sp => sp.GetService<IEdgeClient>() is { } edge
            ? new CanaryAnalyst(edge, sp.GetRequiredService<TimeProvider>(), new CanaryAnalysisOptions
            {
                PrometheusAddresses = [.. sp.GetRequiredService<IOptions<ServerOptions>>().Value.Analysis.Prometheus.Select(a => new Uri(a))],
            })
            : null!);
        services.TryAddSingleton<RolloutSignals>();
        services.TryAddSingleton<RunEventHub>();
        services.TryAddSingleton<ProjectConcurrencyGroups>();
        services.TryAddSingleton<Notifications.NotificationBuilder>();
        services.TryAddSingleton<Notifications.WebhookNotifier>();
        services.TryAddSingleton<RunExecutor>();
        services.TryAddSingleton<RunScheduler>();
        services.TryAddSingleton<RunLauncher>();
        services.TryAddSingleton<RunStreamer>();
        services.TryAddSingleton<LogStreamer>();
        services.TryAddSingleton<RepositoryWatcher>();
        services.TryAddSingleton<ScheduleTrigger>();
        services.TryAddSingleton<ITeamDirectory, StoreTeamDirectory>();
        services.TryAddSingleton<UserIdentities>();
        services.TryAddSingleton<ReleaseAuthors>();
        services.TryAddSingleton<ApprovalService>();
        services.TryAddSingleton<EnvironmentGates>();
        services.TryAddSingleton<EnvironmentDeployments>();
        services.TryAddSingleton<ServiceDeployments>();
        services.TryAddSingleton<KeepWarmSweep>();
        services.TryAddSingleton<Audit.RejectedRequests>();
        services.TryAddSingleton<Flags.FlagDocuments>();
        services.TryAddSingleton<Flags.FlagClientKeys>();
        services.TryAddSingleton<Flags.FlagEnvironments>();
        services.TryAddSingleton<Flags.FlagReaders>();
        services.TryAddSingleton<Flags.FlagChanges>();
        services.TryAddSingleton<Flags.FlagBaselines>();
        services.TryAddSingleton<Flags.FlagFileSync>();
        services.TryAddSingleton<Flags.FlagDeployKeys>();
        services.TryAddSingleton<Flags.FlagRamps>();
        services.TryAddSingleton<Ui.UiListeners>();
        services.TryAddSingleton<Ui.CommitSummaries>();
        services.TryAddSingleton<Ui.ReleaseBoard>();
        // The web UI's forms carry anti-forgery tokens, whose keys are kept in the data directory so a restart keeps them.
        services.AddAntiforgery(forgery =>
        {
            forgery.Cookie.Name = "shipgate_forgery";
            forgery.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
            forgery.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
        });
        services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
            .Configure<IOptions<ServerOptions>, Microsoft.Extensions.Logging.ILoggerFactory>((keys, server, logging) =>
                keys.XmlRepository = new Microsoft.AspNetCore.DataProtection.Repositories.FileSystemXmlRepository(
                    new DirectoryInfo(Path.Combine(server.Value.DataDirectory!, "ui-keys")), logging));

        // Order matters: the initializer opens the store before the others start.
        services.AddHostedService<ServerInitializer>();
        // Before the listeners open: a server restarted after a merge serves the merged flags from its first request.
        services.AddHostedService(sp => sp.GetRequiredService<Flags.FlagFileSync>());
        services.AddHostedService(sp => sp.GetRequiredService<RunScheduler>());
        services.AddHostedService(sp => sp.GetRequiredService<RepositoryWatcher>());
        services.AddHostedService(sp => sp.GetRequiredService<ScheduleTrigger>());
        services.AddHostedService(sp => sp.GetRequiredService<Notifications.WebhookNotifier>());
        // After the initializer: stopping in reverse order, it writes the last minute's tallies while the store is open.
        services.AddHostedService(sp => sp.GetRequiredService<Audit.RejectedRequests>());
        services.AddHostedService(sp => sp.GetRequiredService<KeepWarmSweep>());
        services.AddHostedService<DemoSetup>();
        return services;
    }
}
