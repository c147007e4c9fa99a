using System.Net.Http.Headers;
using Shipgate.Server.Client;

namespace Shipgate.Server.Tests.Infrastructure;

/// <summary>Reads a server-sent event stream of the API to its <c>end</c> event, bounded.</summary>
internal static class EventStreams
{
    public static async Task<List<ServerSentEvent>> ReadToEndAsync(this RunningServer server, string path, string? lastEventId = null)
    {
        using var client = server.AdminClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).DefaultTimeout();
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = new List<ServerSentEvent>();
        await foreach (var item in ServerSentEventReader.ReadAsync(await response.Content.ReadAsStreamAsync(timeout.Token), timeout.Token))
        {
            events.Add(item);
            if (item.Event == "end")
            {
                break;
            }
        }

        return events;
    }
}
