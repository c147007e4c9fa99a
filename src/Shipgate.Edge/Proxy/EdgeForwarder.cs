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
        Decision decision;
        // Choosing is a critical section of the router's phaser: when Publish returns, every request that read an
        // older table already counts in its instance's InFlight, so a drain that waits for 0 misses none.
        var phase = router.EnterChoosing();
        try
        {
            decision = Decide(context);
        }
        finally
        {
            router.ExitChoosing(phase);
        }

        if (decision.Refusal is { } refusal)
        {
            await RefuseAsync(context, decision.Status, refusal, decision.Release);
            return;
        }

        var release = decision.Release!;
        try
        {
            if (decision.Service.Mirror is not null)
            {
                await mirror.TryMirrorAsync(context, decision.Service, random);
            }
        }
        catch
        {
            release.Endpoints[decision.Endpoint].InFlight.Decrement();
            throw;
        }

        await ForwardAsync(context, release, decision.Endpoint, decision.SetCookie, start);
    }

    // Synchronous on purpose (it runs inside the choosing critical section): the release and its first endpoint,
    // whose in-flight count it takes, or the refusal.
    private Decision Decide(HttpContext context)
    {
        var request = context.Request;
        if (!Routes().TryFind(request.Headers.Host.ToString(), out var target))
        {
            return Decision.Refuse(StatusCodes.Status404NotFound, "No service answers to this host name.");
        }

        var service = target.Service;
        string? setCookie = null;
        CompiledRelease? release;
        if (request.Headers[ForwardingTransformer.VersionHeader] is { Count: > 0 } pinned)
        {
            if (!service.TryGetRelease(pinned[0]!, out release))
            {
                return Decision.Refuse(StatusCodes.Status404NotFound, "The service has no release by the version X-Shipgate-Version names.");
            }
        }
        else if (target.Preview)
        {
            release = service.Preview;
            if (release is null)
            {
                return Decision.Refuse(StatusCodes.Status404NotFound, "The service has no preview release.");
            }
        }
        else if (!service.HasRouting)
        {
            return Decision.Refuse(StatusCodes.Status503ServiceUnavailable, "The service has no routing yet.");
        }
        else
        {
            release = service.Choose(request, random, out setCookie);
        }

        var endpoint = release.Pick(0);
        if (endpoint < 0)
        {
            return Decision.Refuse(StatusCodes.Status503ServiceUnavailable, "No instance of the release is healthy.", release);
        }

        release.Endpoints[endpoint].InFlight.Increment();
        return new Decision(0, null, service, release, endpoint, setCookie);
    }

    // The first endpoint comes counted in flight; a retry's endpoint is counted here.
    private async Task ForwardAsync(HttpContext context, CompiledRelease release, int index, string? setCookie, long start)
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
                counters.Answered(context.Response.StatusCode, Micros(start, transformer.HeadersAt));
                return;
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
