namespace Shipgate.Server.Api;

/// <summary>An environment's <c>approval</c> block: reviewers as written (users and <c>team:NAME</c>), durations as in the file (<c>24h</c>).</summary>
public sealed record EnvironmentApprovalResponse(
    string[] Reviewers,
    int Required,
    bool PreventSelfReview,
    string? ExpiresAfter,
    string OnExpiry);
