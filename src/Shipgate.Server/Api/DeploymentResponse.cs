namespace Shipgate.Server.Api;

/// <summary>A release going to an environment: pending, waiting (queued behind another), progressing, then succeeded, failed or cancelled.</summary>
public sealed record DeploymentResponse(
    long Id,
    string Project,
    string Service,
    string Environment,
    string Version,
    string Commit,
    string Status,
    string? Reason,
    long? Run,
    string? Job,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt);
