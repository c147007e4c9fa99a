using Shipgate.Engine.Runs;

namespace Shipgate.Storage.Runs;

/// <summary>A run as stored. <see cref="Number"/> counts the runs of one workflow of a project from 1 (GITHUB_RUN_NUMBER).</summary>
public sealed record RunRecord(
    long Id,
    long ProjectId,
    string WorkflowPath,
    string WorkflowName,
    long Number,
    int Attempt,
    string Event,
    string Ref,
    string Sha,
    string Actor,
    string Initiator,
    IReadOnlyDictionary<string, string> Inputs,
    string? ConcurrencyGroup,
    RunStatus Status,
    Conclusion? Conclusion,
    string? Reason,
    string? RunDirectory,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? LeaseOwner,
    DateTimeOffset? LeaseExpiresAt,
    long LastEventSequence);
