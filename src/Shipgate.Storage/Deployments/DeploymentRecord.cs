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

    /// <summary>The release that served before this deployment; null on a first deployment or when not recorded.</summary>
    public long? PreviousReleaseId { get; init; }

    /// <summary>Blue-green: until when the previous release is kept warm for an instant rollback; null when not (any more).</summary>
    public DateTimeOffset? KeepPreviousUntil { get; init; }

    /// <summary>A running canary's progress as its rollout last published it (JSON: the step, the weights, the last decision); null for other strategies.</summary>
    public string? ProgressJson { get; init; }

    /// <summary>Which mode decided the deployment: <c>delivery: approved by alice</c> or <c>deployment: the automated gates</c>; null when not recorded.</summary>
    public string? DecidedBy { get; init; }
}
