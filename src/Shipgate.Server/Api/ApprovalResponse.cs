namespace Shipgate.Server.Api;

/// <summary>
/// An approval: a run's release going to an environment (kind environment) or a manual-approval step
/// (kind manual_approval). <see cref="Status"/>: pending, approved, rejected or expired.
/// </summary>
public sealed record ApprovalResponse(
    long Id,
    long Run,
    string Project,
    string? Environment,
    string Kind,
    string Title,
    string Status,
    IReadOnlyList<string> Reviewers,
    int Required,
    IReadOnlyList<ApprovalDecisionResponse> Decisions,
    DateTimeOffset RequestedAt,
    DateTimeOffset? DecidedAt,
    DateTimeOffset? ExpiresAt);
