namespace Shipgate.Server.Api;

/// <summary>
/// A run. <see cref="Status"/>: queued, in_progress, waiting or completed; <see cref="Conclusion"/>
/// (once completed): success, failure or cancelled. <see cref="Number"/> counts the workflow's runs.
/// </summary>
public sealed record RunResponse(
    long Id,
    string Project,
    string Workflow,
    string WorkflowPath,
    long Number,
    string Event,
    string Ref,
    string Sha,
    string Actor,
    string Status,
    string? Conclusion,
    string? Reason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt);
