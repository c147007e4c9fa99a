using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Shipgate.Server.Hosting;
using Shipgate.Storage.Runs;

namespace Shipgate.Server.Runs;

/// <summary>
/// Streams a run's events as server-sent events: replays the stored events after the client's
/// <c>Last-Event-ID</c> (or <c>?after=</c>), then follows new ones as they are recorded until the run
/// completes, then sends <c>end</c>. Reads the store in pages, so memory stays flat however long the log.
/// </summary>
internal sealed class RunStreamer(ServerStore store, RunEventHub hub, TimeProvider time)
{
    private const int PageSize = 500;
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(15);

    /// <summary>The sequence to resume after: the Last-Event-ID header, else <c>?after=</c>, else 0.</summary>
    public static long ResumeAfter(HttpRequest request) =>
        long.TryParse(request.Headers["Last-Event-ID"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var lastId) ? lastId
        : long.TryParse(request.Query["after"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var after) ? after
        : 0;

    /// <summary>
    /// Streams the events <paramref name="write"/> accepts (it writes what it wants and says whether it
    /// wrote); with <paramref name="follow"/> false, stops after what is stored now.
    /// </summary>
    public async Task StreamAsync(HttpContext context, long runId, long after, bool follow, Func<RunEventRecord, HttpResponse, bool> write, CancellationToken cancellationToken)
    {
        ServerSentEvents.Start(context);
        await context.Response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
        var runs = store.Store.Runs;
        var last = after;
        var lastWrite = time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            var change = hub.NextChange(runId);
            var run = await runs.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
            if (run is null)
            {
                break;
            }

            IReadOnlyList<RunEventRecord> page;
            do
            {
                page = await runs.ListEventsAsync(runId, last, PageSize, cancellationToken).ConfigureAwait(false);
                foreach (var record in page)
                {
                    if (write(record, context.Response))
                    {
                        lastWrite = time.GetUtcNow();
                    }

                    last = record.Sequence;
                }

                await context.Response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            while (page.Count == PageSize);

            // The run's state was read before its events: completed then means every event was read.
            if (run.Status == RunStatus.Completed || !follow)
            {
                var end = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["status"] = RunMapping.Status(run.Status), ["conclusion"] = RunMapping.Conclusion(run.Conclusion) ?? "" }, RunJsonContext.Default.DictionaryStringString);
                ServerSentEvents.Write(context.Response, (string?)null, "end", end);
                await context.Response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
                break;
            }

            try
            {
                await Task.WhenAny(change, Task.Delay(RecheckInterval, time, cancellationToken)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (time.GetUtcNow() - lastWrite >= KeepAliveInterval)
            {
                ServerSentEvents.Comment(context.Response, "keep-alive");
                lastWrite = time.GetUtcNow();
            }
        }
    }

    /// <summary>Writes a stored event as <c>{"sequence","kind","at","payload"}</c> with its sequence as the SSE id.</summary>
    public static bool WriteEvent(RunEventRecord record, HttpResponse response)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("sequence", record.Sequence);
            json.WriteString("kind", record.Kind);
            json.WriteString("at", record.At);
            json.WritePropertyName("payload");
            json.WriteRawValue(record.PayloadJson, skipInputValidation: true);
            json.WriteEndObject();
        }

        ServerSentEvents.Write(response, record.Sequence, record.Kind, buffer.WrittenSpan);
        return true;
    }
}
