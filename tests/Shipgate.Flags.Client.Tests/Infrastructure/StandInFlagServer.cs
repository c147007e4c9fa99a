using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Flags.Client.Tests.Infrastructure;

/// <summary>
/// A real Kestrel on 127.0.0.1:0 keeping the server's side of the flag document contract (docs/flags.md):
/// <c>GET /flags/v1/document</c> with <c>Authorization: Bearer</c> <see cref="ClientKey"/>; 200 with the document, a
/// strong ETag of its bytes and <c>Cache-Control: no-cache</c>; 304 for <c>If-None-Match</c> with the current ETag;
/// 401 with an OFREP-style body for another key; 503 while <see cref="Available"/> is false.
/// </summary>
internal sealed class StandInFlagServer : IAsyncDisposable
{
    public const string ClientKey = "sgk_test_staging";

    private readonly WebApplication _app;
    private string _document;

    private StandInFlagServer(WebApplication app, string document)
    {
        _app = app;
        _document = document;
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>The document served now; setting it changes the ETag.</summary>
    public string Document
    {
        get => Volatile.Read(ref _document);
        set => Volatile.Write(ref _document, value);
    }

    public bool Available { get; set; } = true;

    /// <summary>Every request's status, in order.</summary>
    public ConcurrentQueue<int> Answers { get; } = new();

    /// <summary>Every request's If-None-Match, or null.</summary>
    public ConcurrentQueue<string?> IfNoneMatch { get; } = new();

    public static string ETagOf(string document) =>
        "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(document)))[..16] + "\"";

    public static async Task<StandInFlagServer> StartAsync(string document)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var server = new StandInFlagServer(app, document);
        app.UseRouting();
        app.MapGet("/flags/v1/document", server.HandleAsync);
        await app.StartAsync(TestTimeouts.Ct).DefaultTimeout();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Url = new Uri(address);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).WaitAsync(TestTimeouts.Default);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        var ifNoneMatch = context.Request.Headers.IfNoneMatch.ToString();
        IfNoneMatch.Enqueue(ifNoneMatch.Length == 0 ? null : ifNoneMatch);
        var document = Document;
        var etag = ETagOf(document);
        if (!Available)
        {
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        }
        else if (context.Request.Headers.Authorization.ToString() != "Bearer " + ClientKey)
        {
            response.StatusCode = StatusCodes.Status401Unauthorized;
            response.ContentType = "application/json";
            await response.WriteAsync("""{"errorCode":"GENERAL","errorDetails":"The key is not a client key of any environment."}""");
        }
        else if (ifNoneMatch == etag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            response.Headers.ETag = etag;
        }
        else
        {
            response.ContentType = "application/json";
            response.Headers.ETag = etag;
            response.Headers.CacheControl = "no-cache";
            await response.WriteAsync(document);
        }

        Answers.Enqueue(response.StatusCode);
    }
}
