namespace Shipgate.Storage.Deployments;

public sealed record DeploymentRecord(
    long Id,
    long ReleaseId,
    long ProjectId,
    string Service,
    string Environment,
    string Strategy,
    DeploymentStatus Status,
    string? Reason,
    long? RunId,
    string? JobKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The protected branch's commit whose shipgate.yml gave the rules the deployment passed; null when none was recorded.</summary>
    public string? RulesSha { get; init; }

    /// <summary>The rules the run's own commit tightened ("approval.required, wait-timer"); null when it tightened none.</summary>
    public string? RulesTightened { get; init; }
}
