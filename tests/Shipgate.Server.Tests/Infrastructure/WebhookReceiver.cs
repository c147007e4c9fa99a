using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Shipgate.Server.Tests.Infrastructure;

/// <summary>A real HTTP server on 127.0.0.1 that records the posts it receives; it can answer the first ones with an error.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<ReceivedPost> _posts = Channel.CreateUnbounded<ReceivedPost>();
    private readonly ConcurrentQueue<int> _answers = new();

    private WebhookReceiver(WebApplication app)
    {
        _app = app;
    }

    public string Url { get; private set; } = "";

    public static async Task<WebhookReceiver> StartAsync(int port = 0, params int[] firstAnswers)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        foreach (var answer in firstAnswers)
        {
            receiver._answers.Enqueue(answer);
        }

        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var status = receiver._answers.TryDequeue(out var answer) ? answer : StatusCodes.Status200OK;
            await receiver._posts.Writer.WriteAsync(new ReceivedPost(context.Request.Path, headers, body.ToArray(), status));
            context.Response.StatusCode = status;
        });
        await app.StartAsync(Ct).DefaultTimeout();
        receiver.Url = app.Urls.First();
        return receiver;
    }

    /// <summary>The next post received (bounded wait).</summary>
    public async Task<ReceivedPost> NextAsync() => await _posts.Reader.ReadAsync(Ct).AsTask().WaitAsync(TestTimeouts.Default);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
