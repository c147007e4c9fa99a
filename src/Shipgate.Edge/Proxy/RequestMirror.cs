using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Shipgate.Edge.Comparison;
using Shipgate.Edge.Routing;

namespace Shipgate.Edge.Proxy;

/// <summary>
/// Sends copies of requests to a mirror release, fire-and-forget: each copy runs on its own with its own timeout,
/// its answer is read and thrown away and counted under the release's mirrored counters, and when
/// <see cref="EdgeProxyOptions.MaxMirrorsInFlight"/> copies are already out a new one is dropped. Nothing here can
/// delay or fail the request it copies, past buffering a small body. When the mirror compares answers, each copy
/// comes with a <see cref="MirrorPair"/> that the primary's forwarding completes; the copy holds its place among the
/// copies in flight until the pair is judged, so at most that many pairs (each with two bounded bodies) are in memory.
/// </summary>
internal sealed class RequestMirror(
    HttpMessageInvoker invoker, EdgeProxyOptions options, TimeProvider time, ILogger logger, CancellationToken stopping)
{
    // Hop-by-hop headers (RFC 9110 7.6.1) and the ones the copy sets itself.
    private static readonly HashSet<string> s_skipped = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Upgrade", "TE", "Trailer", "Host",
        "Content-Length",
    };

    private int _inFlight;

    /// <summary>Copies in flight now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>
    /// Copies the request to <paramref name="service"/>'s mirror when the method, the share and the body's size
    /// allow it. Reads a body up to the bound into memory and rewinds it, so the primary request forwards it as is.
    /// Returns the pair the primary answer completes when the mirror compares answers and the request was copied.
    /// </summary>
    public async ValueTask<MirrorPair?> TryMirrorAsync(HttpContext context, CompiledService service, Random random)
    {
        var spec = service.Mirror!;
        var target = service.MirrorTarget!;
        var request = context.Request;
        if (!service.MirrorMethods.Contains(request.Method) || target.Endpoints.Length == 0
            || random.Next(1000) >= spec.Permille || request.Headers.ContainsKey("Upgrade"))
        {
            return null;
        }

        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.ContainsKey("Transfer-Encoding"));
        if (hasBody && request.ContentLength > spec.MaxBodyBytes)
        {
            return null;
        }

        if (Interlocked.Increment(ref _inFlight) > options.MaxMirrorsInFlight)
        {
            Interlocked.Decrement(ref _inFlight);
            return null;
        }

        byte[]? body = null;
        try
        {
            if (hasBody)
            {
                body = await BufferAsync(request, spec.MaxBodyBytes, context.RequestAborted);
                if (body is null)
                {
                    Interlocked.Decrement(ref _inFlight);
                    return null;
                }
            }
        }
        catch
        {
            Interlocked.Decrement(ref _inFlight);
            throw;
        }

        var copy = new HttpRequestMessage(new HttpMethod(request.Method), target.Endpoints[0].Prefix + request.Path + request.QueryString)
        {
            Version = System.Net.HttpVersion.Version11,
            Content = body is null ? null : new ByteArrayContent(body),
        };
        foreach (var (name, values) in request.Headers)
        {
            if (!s_skipped.Contains(name) && !copy.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                copy.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        copy.Headers.Host = request.Host.Value;
        copy.Headers.TryAddWithoutValidation("X-Shipgate-Mirror", "1");
        var pair = service.MirrorCompare is { } compare
            ? new MirrorPair(compare, request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? "",
                compare.ComparesBody(request.Path.Value ?? "/"), time.GetUtcNow(), Judge)
            : null;
        _ = Task.Run(() => SendAsync(copy, target, pair));
        return pair;
    }

    private async Task SendAsync(HttpRequestMessage copy, CompiledRelease target, MirrorPair? pair)
    {
        var counters = target.MirrorCounters!;
        var index = target.Pick(0);
        var endpoint = target.Endpoints[Math.Max(index, 0)];
        copy.RequestUri = new Uri(endpoint.Prefix + copy.RequestUri!.PathAndQuery);
        var start = Stopwatch.GetTimestamp();
        counters.Started();
        endpoint.InFlight.Increment();
        using var timeout = new CancellationTokenSource(options.MirrorTimeout, time);
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping);
        Answer? answer = null;
        try
        {
            using var response = await invoker.SendAsync(copy, ended.Token);
            var micros = (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            var capture = pair?.NewCapture();
            await response.Content.CopyToAsync(capture is null ? Stream.Null : new CaptureStream(Stream.Null, capture), ended.Token);
            counters.Answered((int)response.StatusCode, micros);
            answer = new Answer((int)response.StatusCode, micros, capture, string.Join(", ", response.Content.Headers.ContentEncoding));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            var micros = (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            counters.TimedOut(micros);
            answer = new Answer(null, micros, null, null);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            counters.Abandon((long)Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            Log.MirrorFailed(logger, target.Version, e.Message);
            var micros = (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            counters.TransportError(micros);
            answer = new Answer(null, micros, null, null);
        }
        finally
        {
            endpoint.InFlight.Decrement();
            copy.Dispose();
            if (pair is null)
            {
                Interlocked.Decrement(ref _inFlight);
            }
            else
            {
                pair.MirrorDone(answer);
            }
        }
    }

    // The pair's place among the copies in flight is given back only here, once both bodies can be let go.
    private void Judge(MirrorPair pair)
    {
        try
        {
            pair.Compare.Judge(pair);
        }
        catch (Exception e)
        {
            // A comparison must never take the data plane down: the pair is counted as not compared and the bug logged.
            Log.ComparisonFailed(logger, e);
            pair.Compare.Counters.NotCompared();
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    // The body up to the bound, the request rewound for the primary; null when it is larger than the bound.
    private static async Task<byte[]?> BufferAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        request.EnableBuffering();
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                break;
            }
        }

        request.Body.Position = 0;
        return buffer.Length > maxBytes ? null : buffer.ToArray();
    }
}
