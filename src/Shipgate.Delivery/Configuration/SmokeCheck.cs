using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary>
/// One HTTP check of <c>smoke:</c> (or of <c>shipgate/verify</c>'s <c>checks</c>): a request to the release through
/// the edge, pinned to its version, and what its answer must be.
/// </summary>
public sealed record SmokeCheck
{
    /// <summary>What the log and the deployment record call it. Default <c>METHOD PATH</c>.</summary>
    public string? Name { get; init; }

    /// <summary>The request's path and query, starting with '/'.</summary>
    public required string Path { get; init; }

    /// <summary>GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS. Default GET.</summary>
    public string Method { get; init; } = "GET";

    /// <summary>The status the answer must have. Default 200.</summary>
    public int Status { get; init; } = 200;

    /// <summary>Text the body must contain (ordinal); null: not checked.</summary>
    public string? BodyContains { get; init; }

    /// <summary>A .NET regular expression the body must match, run with a match timeout; null: not checked.</summary>
    public string? BodyMatches { get; init; }

    /// <summary>The slowest answer that passes, from sending the request to its last byte; null: any.</summary>
    public TimeSpan? MaxLatency { get; init; }

    /// <summary>The Host header sent; null: <c>SERVICE.ENVIRONMENT.localhost</c> (or the preview host).</summary>
    public string? Host { get; init; }

    /// <summary>Where the check is written; null when built in code.</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>The name to show: <see cref="Name"/>, else <c>METHOD PATH</c>.</summary>
    public string DisplayName => Name ?? $"{Method} {Path}";
}
