using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Shipgate.Server.Hosting;
using Shipgate.Storage.Runs;

namespace Shipgate.Server.Runs;

/// <summary>
/// Streams what a run's steps printed as server-sent events, from the steps' log files (the store keeps
/// state, not lines): a <c>step</c> event when a step starts, then an <c>output</c> event a line, step after
/// step in the order they started, following the running step's file as it grows, until the run
/// completes (<c>end</c>). Event ids are <c>SEQUENCE:OFFSET</c> (the step's started event and the byte
/// offset in its log), so a client that reconnects with <c>Last-Event-ID</c> resumes at the next line.
/// </summary>
internal sealed class LogStreamer(ServerStore store, RunEventHub hub, TimeProvider time)
{
    private const int PageSize = 500;
    private static readonly TimeSpan TailInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(2);

    public async Task StreamAsync(HttpContext context, long runId, string? job, bool follow, CancellationToken cancellationToken)
    {
        ServerSentEvents.Start(context);
        var response = context.Response;
        await response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
        var (resumeSequence, resumeOffset) = ParseResume(context.Request);
        var runs = store.Store.Runs;
        var afterSequence = Math.Max(0, resumeSequence - 1);
        while (!cancellationToken.IsCancellationRequested)
        {
            var change = hub.NextChange(runId);
            var run = await runs.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
            if (run is null)
            {
                return;
            }

            IReadOnlyList<RunEventRecord> page;
            do
            {
                page = await runs.ListEventsAsync(runId, afterSequence, PageSize, cancellationToken).ConfigureAwait(false);
                foreach (var record in page)
                {
                    afterSequence = record.Sequence;
                    if (record.Kind != "step.started" || !Started.TryParse(record.PayloadJson, out var step) || (job is not null && !IsJob(step.JobKey, job)))
                    {
                        continue;
                    }

                    var offset = record.Sequence == resumeSequence ? resumeOffset : 0;
                    if (record.Sequence != resumeSequence)
                    {
                        Write(response, $"{record.Sequence}:0", "step", writer =>
                        {
                            writer.WriteString("jobKey", step.JobKey);
                            writer.WriteNumber("step", step.Number);
                            writer.WriteString("name", step.Name);
                        });
                    }

                    await TailStepAsync(response, runId, record.Sequence, step, offset, follow, cancellationToken).ConfigureAwait(false);
                }

                await response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            while (page.Count == PageSize);

            if (run.Status == RunStatus.Completed || !follow)
            {
                Write(response, null, "end", writer =>
                {
                    writer.WriteString("status", RunMapping.Status(run.Status));
                    writer.WriteString("conclusion", RunMapping.Conclusion(run.Conclusion) ?? "");
                });
                await response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            try
            {
                await Task.WhenAny(change, Task.Delay(RecheckInterval, time, cancellationToken)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Writes the step's lines from <paramref name="offset"/>; following, until the step has finished.</summary>
    private async Task TailStepAsync(HttpResponse response, long runId, long sequence, Started step, long offset, bool follow, CancellationToken cancellationToken)
    {
        var runs = store.Store.Runs;
        var job = await runs.GetJobAsync(runId, step.JobKey, cancellationToken).ConfigureAwait(false);
        var events = new LogEventWriter(response.BodyWriter);
        while (job is not null)
        {
            var record = (await runs.ListStepsAsync(job.Id, cancellationToken).ConfigureAwait(false)).FirstOrDefault(s => s.Number == step.Number);
            var finished = record is null || record.Status == RunStatus.Completed || !follow
                || (await runs.GetRunAsync(runId, cancellationToken).ConfigureAwait(false))?.Status == RunStatus.Completed;
            if (record?.LogPath is { } path)
            {
                // Flushed a buffer at a time: the lines of a large log never pile up in the response's pipe.
                offset = await StepLogTail.ReadAsync(path, offset, finished, (line, next) => events.WriteOutput(sequence, next, step.JobKey, step.Number, line), token => FlushAsync(response, token), cancellationToken).ConfigureAwait(false);
                await response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            if (finished)
            {
                return;
            }

            await Task.Delay(TailInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async ValueTask FlushAsync(HttpResponse response, CancellationToken cancellationToken) =>
        await response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);

    private static void Write(HttpResponse response, string? id, string name, Action<Utf8JsonWriter> fields)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            fields(writer);
            writer.WriteEndObject();
        }

        ServerSentEvents.Write(response, id, name, buffer.WrittenSpan);
    }

    /// <summary>Last-Event-ID <c>SEQUENCE:OFFSET</c> (or <c>?after=SEQUENCE</c>): where to resume.</summary>
    private static (long Sequence, long Offset) ParseResume(HttpRequest request)
    {
        var text = request.Headers["Last-Event-ID"].ToString();
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0
            && long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            && long.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            return (sequence, offset);
        }

        return (0, 0);
    }

    /// <summary>True when <paramref name="key"/> is <paramref name="job"/>, one of its matrix legs, or a job it calls.</summary>
    internal static bool IsJob(string key, string job) =>
        string.Equals(key, job, StringComparison.OrdinalIgnoreCase)
        || key.StartsWith(job + "[", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith(job + "/", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith(job + " ", StringComparison.OrdinalIgnoreCase);

    /// <summary>The fields of a stored step.started event.</summary>
    private readonly record struct Started(string JobKey, int Number, string Name)
    {
        public static bool TryParse(string payloadJson, out Started started)
        {
            using var payload = JsonDocument.Parse(payloadJson);
            var root = payload.RootElement;
            if (root.TryGetProperty("jobKey", out var key) && key.GetString() is { } jobKey
                && root.TryGetProperty("step", out var number) && number.TryGetInt32(out var step))
            {
                started = new Started(jobKey, step, root.TryGetProperty("name", out var name) ? name.GetString() ?? "" : "");
                return true;
            }

            started = default;
            return false;
        }
    }
}
