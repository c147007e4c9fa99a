namespace Shipgate.Storage.Deployments;

/// <summary>Counts the edge measured for one version of a deployment over a window (for analysis and audit).</summary>
public sealed record NewMetricSnapshot
{
    public required long DeploymentId { get; init; }

    public required string Version { get; init; }

    public required DateTimeOffset WindowStart { get; init; }

    public required DateTimeOffset WindowEnd { get; init; }

    /// <summary>Status classes, latency histogram… as JSON.</summary>
    public required string CountsJson { get; init; }
}
