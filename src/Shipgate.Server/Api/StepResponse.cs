namespace Shipgate.Server.Api;

/// <summary>A step of a job. <see cref="Status"/>: queued, in_progress or completed.</summary>
public sealed record StepResponse(int Number, string Name, string Status, string? Conclusion, string? Reason, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt);
