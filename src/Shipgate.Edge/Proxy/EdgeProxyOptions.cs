namespace Shipgate.Edge.Proxy;

/// <summary>How the proxy forwards: its timeouts and the bound on mirrored copies.</summary>
public sealed record EdgeProxyOptions
{
    /// <summary>
    /// How long an instance may stay silent (no response headers, no body bytes) before the client gets 504.
    /// Default 100 s, as YARP's and nginx's <c>proxy_read_timeout</c> of 60 s plus slack for slow reports.
    /// </summary>
    public TimeSpan ActivityTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>How long a client connection may wait between requests before it is closed. Default 130 s (Kestrel's).</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(130);

    /// <summary>How long a request's head may take to arrive once it started (slow clients). Default 30 s (Kestrel's).</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long connecting to an instance may take before another endpoint is tried. Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a mirrored copy may take in all before it is abandoned (counted as a timeout). Default 10 s.</summary>
    public TimeSpan MirrorTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs the proxy's request handling on the socket's I/O thread instead of handing it to the thread pool
    /// (Kestrel's <c>UnsafePreferInlineScheduling</c>); safe here because the forwarding path never blocks. Pair it
    /// with <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> in the process's environment. Default true: it
    /// saves a thread hop per read (docs/benchmarks.md, "The edge's proxy").
    /// </summary>
    public bool InlineScheduling { get; init; } = true;

    /// <summary>
    /// Forwards plain HTTP/1.1 requests on the proxy's own path (<see cref="Http1.Http1FastPath"/>) and leaves the rest
    /// (upgrades, chunked requests, Expect, HTTP/1.0, mirrored services…) to Kestrel and YARP. Default true; false sends
    /// every request through Kestrel and YARP (for comparison in benchmarks and tests).
    /// </summary>
    public bool FastPath { get; init; } = true;

    /// <summary>
    /// Mirrored copies in flight at once; further copies are dropped, never queued. A copy whose mirror compares answers
    /// counts until its pair is judged, which bounds the bodies held for comparing. Default 100.
    /// </summary>
    public int MaxMirrorsInFlight { get; init; } = 100;
}
