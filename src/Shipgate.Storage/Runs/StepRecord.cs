using Shipgate.Engine.Runs;

namespace Shipgate.Storage.Runs;

/// <summary>A step of a job as stored; <see cref="Number"/> is 1-based in its job.</summary>
public sealed record StepRecord(
    long JobId,
    int Number,
    string? StepId,
    string Name,
    RunStatus Status,
    Conclusion? Conclusion,
    Conclusion? Outcome,
    string? Reason,
    string? LogPath,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt);
