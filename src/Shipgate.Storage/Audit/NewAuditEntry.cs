namespace Shipgate.Storage.Audit;

/// <summary>What to append to the audit log: who did what to which target, why, and the state before and after (JSON, kept verbatim).</summary>
public sealed record NewAuditEntry
{
    public required string Actor { get; init; }

    /// <summary>A dotted verb, e.g. <c>approval.approve</c>, <c>deployment.rollback</c>, <c>webhook.rejected</c>.</summary>
    public required string Action { get; init; }

    /// <summary>What was acted on, e.g. <c>approval/12</c> or <c>project/web</c>.</summary>
    public required string Target { get; init; }

    public string? Reason { get; init; }

    public string? BeforeJson { get; init; }

    public string? AfterJson { get; init; }
}
