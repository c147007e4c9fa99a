using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shipgate.Delivery.Rollouts;

namespace Shipgate.Delivery.Tests.Rollouts;

/// <summary>
/// A real HTTP listener on 127.0.0.1:0 standing in for the edge's proxy, in front of a <see cref="FakeEdgeClient"/>:
/// it picks the release as the edge does (the pin header, the preview host, else the heaviest weight) and answers
/// as the release's behaviour says: 200 "hello from VERSION", or 500 for a release that fails its smoke checks.
/// </summary>
public sealed class EdgeStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EdgeStandIn(WebApplication app, FakeEdgeClient edge)
    {
        _app = app;
        Edge = edge;
    }

    public FakeEdgeClient Edge { get; }

    /// <summary>Requests the listener answered, as "HOST VERSION".</summary>
    public List<string> Requests { get; } = [];

    public static async Task<EdgeStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new EdgeStandIn(app, new FakeEdgeClient());
        app.Run(standIn.AnswerAsync);
        await app.StartAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30));
        standIn.Edge.ListenAddress = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return standIn;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var host = context.Request.Host.Host;
        var preview = host.StartsWith("preview.", StringComparison.Ordinal);
        var parts = host.Split('.');
        var (service, environment) = preview ? (parts[1], parts[2]) : (parts[0], parts[1]);
        var status = await Edge.GetServiceAsync(environment, service);
        var version = context.Request.Headers[SmokeRunner.VersionHeader].FirstOrDefault()
            ?? (preview ? status?.Routing?.Preview : status?.Routing?.Weights.OrderByDescending(w => w.Value).Select(w => w.Key).FirstOrDefault());
        lock (Requests)
        {
            Requests.Add($"{host} {version}");
        }

        if (version is null || status?.Releases.FirstOrDefault(r => r.Version == version) is not { } release)
        {
            context.Response.StatusCode = 503;
            return;
        }

        var fails = Edge.BehaviourOf(version) switch
        {
            FakeReleaseBehaviour.FailsSmoke => true,
            FakeReleaseBehaviour.FailsSmokeUnderTraffic => release.Weight > 0,
            _ => false,
        };
        context.Response.StatusCode = fails ? 500 : 200;
        await context.Response.WriteAsync(fails ? "broken" : $"hello from {version}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
