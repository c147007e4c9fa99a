using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary>One entry of <c>services:</c>: how the edge starts a service from its artifact and checks it.</summary>
public sealed class ServiceDefinition
{
    /// <summary>The name; a DNS label, because the edge routes <c>NAME.ENVIRONMENT.localhost</c> to it.</summary>
    public required string Name { get; init; }

    /// <summary>Where the service is declared.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>The command line, started in the unpacked artifact directory.</summary>
    public required string Run { get; init; }

    /// <summary>The environment variable through which the edge passes the port to listen on. Default <c>PORT</c>.</summary>
    public string PortEnv { get; init; } = "PORT";

    /// <summary>The path whose 200 answer means healthy. Default <c>/health</c>.</summary>
    public string Health { get; init; } = "/health";

    /// <summary>How many instances run in each environment. Default 1.</summary>
    public int Instances { get; init; } = 1;

    /// <summary>How often the edge checks each instance's health. Default 1s.</summary>
    public TimeSpan HealthInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one health check may take. Default 2s.</summary>
    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long an instance taken out of routing may finish its in-flight requests. Default 30s.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
