namespace Shipgate.Storage.Approvals;

/// <summary>An approval to request: for an environment of a run (one per run attempt and environment), or for a manual-approval step.</summary>
public sealed record NewApproval
{
    public required long RunId { get; init; }

    public int RunAttempt { get; init; } = 1;

    public required long ProjectId { get; init; }

    public required ApprovalKind Kind { get; init; }

    /// <summary>The environment (required for <see cref="ApprovalKind.Environment"/>).</summary>
    public string? Environment { get; init; }

    /// <summary>The job that asked (for a manual-approval step), or null.</summary>
    public string? JobKey { get; init; }

    public required string Title { get; init; }

    /// <summary>The instructions shown to reviewers.</summary>
    public string Body { get; init; } = "";

    /// <summary>User names and <c>team:NAME</c> entries, as the policy lists them.</summary>
    public required IReadOnlyList<string> Reviewers { get; init; }

    /// <summary>How many reviewers must approve. Default 1.</summary>
    public int Required { get; init; } = 1;

    public bool PreventSelfReview { get; init; }

    /// <summary>The run's initiator (who may not approve under prevent-self-review).</summary>
    public required string Initiator { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }
}
