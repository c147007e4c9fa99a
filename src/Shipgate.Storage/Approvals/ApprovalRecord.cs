namespace Shipgate.Storage.Approvals;

/// <summary>An approval as stored.</summary>
public sealed record ApprovalRecord(
    long Id,
    long RunId,
    int RunAttempt,
    long ProjectId,
    string? Environment,
    string? JobKey,
    ApprovalKind Kind,
    string Title,
    string Body,
    IReadOnlyList<string> Reviewers,
    int Required,
    bool PreventSelfReview,
    string Initiator,
    ApprovalStatus Status,
    DateTimeOffset RequestedAt,
    DateTimeOffset? DecidedAt,
    DateTimeOffset? ExpiresAt);
