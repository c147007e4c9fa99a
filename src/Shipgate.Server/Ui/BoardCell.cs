namespace Shipgate.Server.Ui;

/// <summary>
/// What serves a service in an environment: the current release with its commit's first line and author (null when git
/// cannot tell), who decided it, the latest deployment's status as a word and a CSS class, and a running rollout.
/// </summary>
public sealed record BoardCell(
    string? Version,
    string? CommitSha,
    string? Subject,
    string? Author,
    DateTimeOffset? DeployedAt,
    string? DecidedBy,
    string Status,
    string StatusClass,
    string? Rollout);
