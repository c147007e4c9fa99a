namespace Shipgate.Server.Api;

/// <summary>
/// A release going to an environment: pending, waiting (queued behind another), progressing, then succeeded, failed or
/// cancelled; with the version of the protection rules it passed: the protected branch's commit whose shipgate.yml gave
/// them (<see cref="RulesCommit"/>) and the rules the run's own commit tightened (<see cref="RulesTightened"/>, null: none).
/// </summary>
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
    DateTimeOffset? FinishedAt,
    string? RulesCommit = null,
    string? RulesTightened = null);
