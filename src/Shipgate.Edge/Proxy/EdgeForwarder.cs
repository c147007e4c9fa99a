using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Shipgate.Edge.Comparison;
using Shipgate.Edge.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace Shipgate.Edge.Proxy;

/// <summary>
/// The public listener's only request handler: finds the service by Host, chooses the release (pin header, preview
/// host, header routes, weights), forwards with YARP's <see cref="IHttpForwarder"/> to the least busy healthy
/// endpoint, retries another endpoint when the request never reached one, and records the outcome.
/// </summary>
internal sealed class EdgeForwarder(
    RouteChooser chooser,
    IHttpForwarder forwarder,
    HttpMessageInvoker invoker,
    RequestMirror mirror,
    EdgeProxyOptions options,
    ILogger logger)
{
    private readonly ForwarderRequestConfig _config = new()
    {
        ActivityTimeout = options.ActivityTimeout,
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
    };

    public async Task HandleAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        var decision = chooser.Decide(context.Request.Headers.Host.ToString(), new AspNetRoutingRequest(context.Request));
        if (decision.Refusal is { } refusal)
        {
            await RefuseAsync(context, decision.Status, refusal, decision.Release);
            return;
        }

        var release = decision.Release!;
        MirrorPair? pair = null;
        try
        {
            if (decision.Service.Mirror is not null)
            {
                pair = await mirror.TryMirrorAsync(context, decision.Service, chooser.Random);
            }
        }
        catch
        {
            release.Endpoints[decision.Endpoint].InFlight.Decrement();
            throw;
        }

        if (pair is null)
        {
            await ForwardAsync(context, release, decision.Endpoint, decision.SetCookie, start);
            return;
        }

        await ForwardComparedAsync(context, release, decision.Endpoint, decision.SetCookie, start, pair);
    }

    // The primary answer of a copied request, for its pair: the body passes through a tee that keeps a bounded copy,
    // and the client's stream is put back before the response completes.
    private async Task ForwardComparedAsync(HttpContext context, CompiledRelease release, int index, string? setCookie, long start,
        MirrorPair pair)
    {
        var response = context.Response;
        var body = response.Body;
        var capture = pair.NewCapture();
        Answer? answer = null;
        try
        {
            if (capture is not null)
            {
                response.Body = new CaptureStream(body, capture);
            }

            var micros = await ForwardAsync(context, release, index, setCookie, start);
            answer = micros < 0 ? null : new Answer(response.StatusCode, micros, capture, response.Headers.ContentEncoding.ToString());
        }
        finally
        {
            if (capture is not null)
            {
                response.Body = body;
            }

            pair.PrimaryDone(answer);
        }
    }

    // The first endpoint comes counted in flight; a retry's endpoint is counted here. Returns the latency of the
    // instance's answer in microseconds, or -1 when the client got none (abandoned, 502 or 504).
    private async Task<long> ForwardAsync(HttpContext context, CompiledRelease release, int index, string? setCookie, long start)
    {
        var counters = release.Counters;
        var transformer = new ForwardingTransformer(release, setCookie);
        counters.Started();
        var tried = 1UL << index;
        var resetRetried = false;
        while (true)
        {
            var endpoint = release.Endpoints[index];
            ForwarderError error;
            try
            {
                error = await forwarder.SendAsync(context, endpoint.Prefix, invoker, _config, transformer);
            }
            finally
            {
                endpoint.InFlight.Decrement();
            }

            if (error == ForwarderError.None)
            {
                var (status, micros) = (context.Response.StatusCode, Micros(start, transformer.HeadersAt));
                // Flags first: a reader that sees the request counted sees its flags counted too.
                foreach (var flags in transformer.Flags)
                {
                    counters.Flags.Count(flags, status, micros);
                }

                counters.Answered(status, micros);
                return micros;
            }

            var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
            var next = release.Pick(tried);
            if (!context.Response.HasStarted && next >= 0 && MayRetry(context.Request, error, exception, ref resetRetried))
            {
                Log.Retrying(logger, endpoint.InstanceId, release.Version, error.ToString());
                context.Features.Set<IForwarderErrorFeature>(null);
                // Nothing reached the client yet: drop the failed attempt's status and headers.
                context.Response.Clear();
                index = next;
                tried |= 1UL << index;
                release.Endpoints[index].InFlight.Increment();
                continue;
            }

            await FailedAsync(context, release, error, exception, start);
            return -1;
        }
    }

    private async Task FailedAsync(HttpContext context, CompiledRelease release, ForwarderError error, Exception? exception, long start)
    {
        var micros = Micros(start, 0);
        if (context.RequestAborted.IsCancellationRequested
            || error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient
                or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient
                or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeRequestClient
                or ForwarderError.UpgradeResponseCanceled or ForwarderError.UpgradeResponseClient)
        {
            release.Counters.Abandon(micros);
            return;
        }

        Log.ForwardFailed(logger, release.Version, exception?.Message ?? error.ToString());
        if (error == ForwarderError.RequestTimedOut)
        {
            release.Counters.TimedOut(micros);
            await RefuseAsync(context, StatusCodes.Status504GatewayTimeout, "The instance did not answer in time.", release);
        }
        else
        {
            release.Counters.TransportError(micros);
            await RefuseAsync(context, StatusCodes.Status502BadGateway, "The instance did not answer.", release);
        }
    }

    // A request that never reached an instance (connection refused or timed out) goes to another endpoint of the
    // release, whatever its method. One whose connection broke before the client got anything (a crash before or
    // while the instance answered) is sent again once, and only when repeating it is harmless: an idempotent
    // method without a body. The caller checked that the client's response has not started.
    private static bool MayRetry(HttpRequest request, ForwarderError error, Exception? exception, ref bool resetRetried)
    {
        if (error == ForwarderError.Request && exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError })
        {
            return true;
        }

        if (error is not (ForwarderError.Request or ForwarderError.ResponseBodyDestination))
        {
            return false;
        }

        if (resetRetried || request.ContentLength > 0 || request.Headers.ContainsKey("Transfer-Encoding")
            || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
                || HttpMethods.IsTrace(request.Method)))
        {
            return false;
        }

        resetRetried = true;
        return true;
    }

    private static async Task RefuseAsync(HttpContext context, int status, string sentence, CompiledRelease? release)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = status;
        response.Headers.ContentType = "text/plain; charset=utf-8";
        if (release is not null)
        {
            response.Headers[ForwardingTransformer.VersionHeader] = release.VersionHeader;
        }

        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(sentence + "\n"));
    }

    private static long Micros(long start, long end) =>
        (long)Stopwatch.GetElapsedTime(start, end == 0 ? Stopwatch.GetTimestamp() : end).TotalMicroseconds;
}
