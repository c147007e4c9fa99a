using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Shipgate.Edge.Routing;

namespace Shipgate.Edge.Proxy;

/// <summary>
/// Sends copies of requests to a mirror release, fire-and-forget: each copy runs on its own with its own timeout,
/// its answer is read and thrown away and counted under the release's mirrored counters, and when
/// <see cref="EdgeProxyOptions.MaxMirrorsInFlight"/> copies are already out a new one is dropped. Nothing here can
/// delay or fail the request it copies, past buffering a small body.
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
    /// </summary>
    public async ValueTask TryMirrorAsync(HttpContext context, CompiledService service, Random random)
    {
        var spec = service.Mirror!;
        var target = service.MirrorTarget!;
        var request = context.Request;
        if (!service.MirrorMethods.Contains(request.Method) || target.Endpoints.Length == 0
            || random.Next(1000) >= spec.Permille || request.Headers.ContainsKey("Upgrade"))
        {
            return;
        }

        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.ContainsKey("Transfer-Encoding"));
        if (hasBody && request.ContentLength > spec.MaxBodyBytes)
        {
            return;
        }

        if (Interlocked.Increment(ref _inFlight) > options.MaxMirrorsInFlight)
        {
            Interlocked.Decrement(ref _inFlight);
            return;
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
                    return;
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
        _ = Task.Run(() => SendAsync(copy, target));
    }

    private async Task SendAsync(HttpRequestMessage copy, CompiledRelease target)
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
        try
        {
            using var response = await invoker.SendAsync(copy, ended.Token);
            var micros = (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            await response.Content.CopyToAsync(Stream.Null, ended.Token);
            counters.Answered((int)response.StatusCode, micros);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            counters.TimedOut((long)Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            counters.Abandon((long)Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            Log.MirrorFailed(logger, target.Version, e.Message);
            counters.TransportError((long)Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
        finally
        {
            endpoint.InFlight.Decrement();
            Interlocked.Decrement(ref _inFlight);
            copy.Dispose();
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
