using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Shipgate.Edge.Metrics;
using Shipgate.Edge.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace Shipgate.Edge.Proxy;

/// <summary>
/// One request's forwarding: YARP's header copying plus the client's Host and the X-Forwarded headers on the way
/// in, <c>X-Shipgate-Version</c> and the sticky cookie on the way out (and <c>X-Shipgate-Flags</c> taken off for the
/// counters), and the instant the answer's headers came (the latency the metrics record). One small object per
/// request, so the shared path needs no dictionary.
/// </summary>
internal sealed class ForwardingTransformer(CompiledRelease release, string? setCookie) : HttpTransformer
{
    public const string VersionHeader = "X-Shipgate-Version";

    // Most clients of a local edge are on the loopback: their address costs no string per request.
    private const string Loopback = "127.0.0.1";

    /// <summary>The answer's <c>X-Shipgate-Flags</c> values, taken off the client's response for the release's flag counters.</summary>
    public StringValues Flags { get; private set; }

    /// <summary><see cref="Stopwatch.GetTimestamp"/> when the instance's response headers arrived; 0 before.</summary>
    public long HeadersAt { get; private set; }

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest,
        string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);

        // The instance sees the name the client asked for, as behind nginx with proxy_set_header Host $host.
        proxyRequest.Headers.Host = httpContext.Request.Headers.Host.ToString();
        var remote = httpContext.Connection.RemoteIpAddress;
        var forwardedFor = remote is null ? null : IPAddress.IsLoopback(remote) && remote.AddressFamily == AddressFamily.InterNetwork
            ? Loopback : remote.ToString();
        if (forwardedFor is not null)
        {
            proxyRequest.Headers.Remove("X-Forwarded-For");
            var earlier = httpContext.Request.Headers["X-Forwarded-For"];
            proxyRequest.Headers.TryAddWithoutValidation(
                "X-Forwarded-For", earlier.Count == 0 ? forwardedFor : earlier.ToString() + ", " + forwardedFor);
        }

        proxyRequest.Headers.Remove("X-Forwarded-Proto");
        proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Proto", httpContext.Request.Scheme);
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse,
        CancellationToken cancellationToken)
    {
        // YARP calls this with no response too, when the instance gave none, so that the edge's 502 is marked.
        if (proxyResponse is not null)
        {
            HeadersAt = Stopwatch.GetTimestamp();
        }

        var proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        Flags = httpContext.Response.Headers[FlagCounters.HeaderName];
        if (Flags.Count > 0)
        {
            // For the edge's counters only: the client does not get it.
            httpContext.Response.Headers.Remove(FlagCounters.HeaderName);
        }

        httpContext.Response.Headers[VersionHeader] = release.VersionHeader;
        if (setCookie is not null && proxyResponse is not null)
        {
            httpContext.Response.Headers.Append("Set-Cookie", setCookie);
        }

        return proceed;
    }
}
