using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Shipgate.Delivery.Tests.Analysis;

/// <summary>
/// A real Kestrel listener on 127.0.0.1:0 that answers with <see cref="Answer"/> and records every request it got as
/// "METHOD PATH?QUERY" with its headers: a Prometheus, a canary behind the edge, or the server's admin API an attack aims at.
/// </summary>
public sealed class StubHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<(string Line, IHeaderDictionary Headers)> _requests = [];

    private StubHttpServer(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    /// <summary>What to answer; default 200 with an empty body.</summary>
    public Func<HttpContext, Task> Answer { get; set; } = _ => Task.CompletedTask;

    public IReadOnlyList<(string Line, IHeaderDictionary Headers)> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<StubHttpServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new StubHttpServer(app);
        app.Run(async context =>
        {
            lock (server._lock)
            {
                server._requests.Add(($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}", new HeaderDictionary(context.Request.Headers.ToDictionary())));
            }

            await server.Answer(context);
        });
        await app.StartAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30));
        server.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/");
        return server;
    }

    /// <summary>Answers every request with this JSON.</summary>
    public StubHttpServer AnswerJson(string json, int status = 200)
    {
        Answer = async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(json);
        };
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }
}
