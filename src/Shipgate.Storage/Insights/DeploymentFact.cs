using Shipgate.Storage.Deployments;

namespace Shipgate.Storage.Insights;

/// <summary>An ended deployment as the delivery insights read it: who, where, how it ended, and the times that matter.</summary>
public readonly record struct DeploymentFact(
    string Project,
    string Service,
    string Environment,
    string Strategy,
    DeploymentStatus Status,
    long ReleaseId,
    DateTimeOffset CreatedAt,
    DateTimeOffset FinishedAt,
    DateTimeOffset? CommittedAt);
