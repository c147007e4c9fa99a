using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Shipgate.Edge.Metrics;
using Shipgate.Edge.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace Shipgate.Edge.Proxy;

/// <summary>
/// The public listener's only request handler: finds the service by Host, chooses the release (pin header, preview
/// host, header routes, weights), forwards with YARP's <see cref="IHttpForwarder"/> to the least busy healthy
/// endpoint, retries another endpoint when the request never reached one, and records the outcome.
/// </summary>
internal sealed class EdgeForwarder(
    EdgeRouter router,
    EdgeMetrics metrics,
    IHttpForwarder forwarder,
    HttpMessageInvoker invoker,
    RequestMirror mirror,
    EdgeProxyOptions options,
    Random random,
    ILogger logger)
{
    private readonly ForwarderRequestConfig _config = new()
    {
        ActivityTimeout = options.ActivityTimeout,
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
    };

    private readonly Lock _compiling = new();
    private CompiledRoutes? _routes;

    public async Task HandleAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        var request = context.Request;
        if (!Routes().TryFind(request.Headers.Host.ToString(), out var target))
        {
            await RefuseAsync(context, StatusCodes.Status404NotFound, "No service answers to this host name.", null);
            return;
        }

        var service = target.Service;
        string? setCookie = null;
        CompiledRelease? release;
        if (request.Headers[ForwardingTransformer.VersionHeader] is { Count: > 0 } pinned)
        {
            if (!service.TryGetRelease(pinned[0]!, out release))
            {
                await RefuseAsync(context, StatusCodes.Status404NotFound, "The service has no release by the version X-Shipgate-Version names.", null);
                return;
            }
        }
        else if (target.Preview)
        {
            release = service.Preview;
            if (release is null)
            {
                await RefuseAsync(context, StatusCodes.Status404NotFound, "The service has no preview release.", null);
                return;
            }
        }
        else if (!service.HasRouting)
        {
            await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, "The service has no routing yet.", null);
            return;
        }
        else
        {
            release = service.Choose(request, random, out setCookie);
        }

        if (release.Endpoints.Length == 0)
        {
            await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, "No instance of the release is healthy.", release);
            return;
        }

        if (service.Mirror is not null)
        {
            await mirror.TryMirrorAsync(context, service, random);
        }

        await ForwardAsync(context, release, setCookie, start);
    }

    private async Task ForwardAsync(HttpContext context, CompiledRelease release, string? setCookie, long start)
    {
        var counters = release.Counters;
        var transformer = new ForwardingTransformer(release, setCookie);
        counters.Started();
        ulong tried = 0;
        var resetRetried = false;
        while (true)
        {
            var index = release.Pick(tried);
            var endpoint = release.Endpoints[index];
            tried |= 1UL << index;
            ForwarderError error;
            endpoint.InFlight.Increment();
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
                counters.Answered(context.Response.StatusCode, Micros(start, transformer.HeadersAt));
                return;
            }

            var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
            if (!context.Response.HasStarted && release.Pick(tried) >= 0 && MayRetry(context.Request, error, exception, ref resetRetried))
            {
                Log.Retrying(logger, endpoint.InstanceId, release.Version, error.ToString());
                context.Features.Set<IForwarderErrorFeature>(null);
                // Nothing reached the client yet: drop the failed attempt's status and headers.
                context.Response.Clear();
                continue;
            }

            await FailedAsync(context, release, error, exception, start);
            return;
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

    // The table is compiled on the first request after a publish; a request never waits on another's compile
    // longer than that one compile.
    private CompiledRoutes Routes()
    {
        var table = router.Current;
        var routes = Volatile.Read(ref _routes);
        if (ReferenceEquals(routes?.Table, table))
        {
            return routes;
        }

        lock (_compiling)
        {
            routes = _routes;
            if (!ReferenceEquals(routes?.Table, table))
            {
                routes = CompiledRoutes.Build(table, router, metrics);
                foreach (var host in routes.Conflicts)
                {
                    Log.HostConflict(logger, host);
                }

                Volatile.Write(ref _routes, routes);
            }

            return routes;
        }
    }
}
