namespace Shipgate.Storage.Deployments;

/// <summary>A release going to an environment; it starts pending. Project and service come from the release.</summary>
public sealed record NewDeployment
{
    public required long ReleaseId { get; init; }

    public required string Environment { get; init; }

    /// <summary>rolling, blue-green, canary, shadow…</summary>
    public required string Strategy { get; init; }

    /// <summary>The run (and job) that deploys it, or null for a manual promotion.</summary>
    public long? RunId { get; init; }

    public string? JobKey { get; init; }

    /// <summary>The protected branch's commit whose shipgate.yml gave the rules the deployment passed, or null.</summary>
    public string? RulesSha { get; init; }

    /// <summary>The rules the run's commit tightened, comma-separated; null when none.</summary>
    public string? RulesTightened { get; init; }
}
