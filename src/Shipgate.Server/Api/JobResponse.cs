namespace Shipgate.Server.Api;

/// <summary>A job (or matrix leg) of a run. <see cref="Status"/>: queued, in_progress, waiting or completed.</summary>
public sealed record JobResponse(
    string Key,
    string Name,
    string Status,
    string? Conclusion,
    string? Environment,
    string? Reason,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<StepResponse> Steps);
