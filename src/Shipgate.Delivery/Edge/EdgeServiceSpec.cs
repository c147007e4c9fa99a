namespace Shipgate.Delivery.Edge;

/// <summary>
/// <c>PUT /v1/services/{environment}/{service}</c>: how the edge routes to and checks a service in one environment.
/// Declaring it again with other values updates it in place (running instances keep running).
/// </summary>
public sealed record EdgeServiceSpec
{
    /// <summary>Host names routed to the service besides <c>SERVICE.ENVIRONMENT.localhost</c>, lower-cased. Default none.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>The environment variable through which an instance gets its port. Default <c>PORT</c>.</summary>
    public string PortEnv { get; init; } = "PORT";

    /// <summary>The path whose 200 answer means healthy. Default <c>/health</c>.</summary>
    public string HealthPath { get; init; } = "/health";

    /// <summary>How often each instance's health is checked, in milliseconds. Default 1,000.</summary>
    public int HealthIntervalMs { get; init; } = 1000;

    /// <summary>How long one health check may take, in milliseconds. Default 2,000.</summary>
    public int HealthTimeoutMs { get; init; } = 2000;

    /// <summary>How long an instance taken out of routing may finish its in-flight requests, in milliseconds. Default 30,000.</summary>
    public int DrainTimeoutMs { get; init; } = 30_000;

    /// <summary>How long after SIGTERM an instance's process group gets SIGKILL, in milliseconds. Default 10,000.</summary>
    public int StopGraceMs { get; init; } = 10_000;
}
