using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Shipgate.Server.Tests.Infrastructure;

namespace Shipgate.Edge.Tests.Proxy;

/// <summary>
/// A real Kestrel instance on 127.0.0.1:0 standing in for a service's instance. It answers its name, and records
/// every request it gets. <c>/hang</c> never answers, <c>/status/N</c> answers N, <c>/echo</c> returns the body,
/// <c>/stream</c> sends a first line and the last only after <see cref="ReleaseStream"/>, <c>/ws</c> echoes a WebSocket;
/// a path in <see cref="Routes"/> answers as its handler says.
/// </summary>
internal sealed class TestUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _streamGate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TestUpstream(WebApplication app, string name)
    {
        _app = app;
        Name = name;
    }

    public string Name { get; }

    public int Port { get; private set; }

    /// <summary>When set, every request hangs as <c>/hang</c> does: an instance that stopped answering.</summary>
    public bool HangsAlways { get; set; }

    /// <summary>Waited before any answer: an instance that is slow.</summary>
    public TimeSpan AnswerDelay { get; set; }

    /// <summary>Handlers by exact path, ahead of the built-in paths.</summary>
    public ConcurrentDictionary<string, Func<HttpContext, Task>> Routes { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    /// <summary>Requests to <c>/hang</c> waiting now.</summary>
    public int Hanging => Volatile.Read(ref _hanging);

    private int _hanging;

    public static async Task<TestUpstream> StartAsync(string name)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var upstream = new TestUpstream(app, name);
        app.UseWebSockets();
        app.Run(upstream.HandleAsync);
        await app.StartAsync(TestTimeouts.Ct).DefaultTimeout();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        upstream.Port = new Uri(address).Port;
        return upstream;
    }

    /// <summary>A port on 127.0.0.1 where nothing listens: connections are refused.</summary>
    public static int DeadPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void ReleaseStream() => _streamGate.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        _streamGate.TrySetResult();
        await _app.StopAsync(CancellationToken.None).WaitAsync(TestTimeouts.Default);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var body = await new StreamReader(request.Body).ReadToEndAsync(context.RequestAborted);
        Received.Enqueue(new ReceivedRequest(
            request.Method,
            request.Path + request.QueryString,
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body));
        var path = request.Path.Value ?? "/";
        if (AnswerDelay > TimeSpan.Zero)
        {
            await Task.Delay(AnswerDelay, context.RequestAborted);
        }

        if (Routes.TryGetValue(path, out var route))
        {
            await route(context);
        }
        else if (path == "/hang" || HangsAlways)
        {
            Interlocked.Increment(ref _hanging);
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            finally
            {
                Interlocked.Decrement(ref _hanging);
            }
        }
        else if (path.StartsWith("/status/", StringComparison.Ordinal))
        {
            context.Response.StatusCode = int.Parse(path["/status/".Length..], System.Globalization.CultureInfo.InvariantCulture);
            await context.Response.WriteAsync(Name);
        }
        else if (path == "/echo")
        {
            await context.Response.WriteAsync(body);
        }
        else if (path == "/stream")
        {
            await context.Response.WriteAsync("first\n");
            await context.Response.Body.FlushAsync();
            await _streamGate.Task.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsync("last\n");
        }
        else if (path == "/ws" && context.WebSockets.IsWebSocketRequest)
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[4096];
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, context.RequestAborted);
            }
        }
        else
        {
            await context.Response.WriteAsync(Name);
        }
    }
}

internal sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body);
