using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Shipgate.Server.Runs;

/// <summary>Writes a text/event-stream response (the HTML Living Standard's server-sent events), unbuffered.</summary>
internal static class ServerSentEvents
{
    public static void Start(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    /// <summary>Writes one event; <paramref name="data"/> must be one line (JSON written without indentation is).</summary>
    public static void Write(HttpResponse response, long? id, string eventName, ReadOnlySpan<byte> data) =>
        Write(response, id?.ToString(System.Globalization.CultureInfo.InvariantCulture), eventName, data);

    /// <summary>Writes one event with a textual id (or none).</summary>
    public static void Write(HttpResponse response, string? id, string eventName, ReadOnlySpan<byte> data)
    {
        var writer = response.BodyWriter;
        if (id is not null)
        {
            WriteAscii(writer, $"id: {id}\n");
        }

        WriteAscii(writer, $"event: {eventName}\ndata: ");
        writer.Write(data);
        WriteAscii(writer, "\n\n");
    }

    /// <summary>A comment line: keeps proxies and idle timeouts from closing a quiet stream.</summary>
    public static void Comment(HttpResponse response, string text) => WriteAscii(response.BodyWriter, $": {text}\n\n");

    private static void WriteAscii(System.IO.Pipelines.PipeWriter writer, string text) => writer.Write(Encoding.UTF8.GetBytes(text));
}
