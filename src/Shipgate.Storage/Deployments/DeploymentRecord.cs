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
    DateTimeOffset UpdatedAt);
