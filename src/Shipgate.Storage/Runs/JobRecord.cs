using Shipgate.Engine.Runs;

namespace Shipgate.Storage.Runs;

/// <summary>A job (or matrix leg) of a run as stored.</summary>
public sealed record JobRecord(
    long Id,
    long RunId,
    string Key,
    string JobId,
    string Name,
    RunStatus Status,
    Conclusion? Conclusion,
    Conclusion? Outcome,
    string? Reason,
    IReadOnlyDictionary<string, string> Outputs,
    string? MatrixJson,
    string? Environment,
    string? Runner,
    int Attempt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? LeaseOwner,
    DateTimeOffset? LeaseExpiresAt);
