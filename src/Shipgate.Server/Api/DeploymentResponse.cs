namespace Shipgate.Server.Api;

/// <summary>
/// A release going to an environment: pending, waiting (queued behind another), progressing, then succeeded, failed or
/// cancelled; with the version of the protection rules it passed: the protected branch's commit whose shipgate.yml gave
/// them (<see cref="RulesCommit"/>) and the rules the run's own commit tightened (<see cref="RulesTightened"/>, null: none).
/// </summary>
public sealed record DeploymentResponse(
    long Id,
    string Project,
    string Service,
    string Environment,
    string Version,
    string Commit,
    string Status,
    string? Reason,
    long? Run,
    string? Job,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? RulesCommit = null,
    string? RulesTightened = null)
{
    /// <summary>The released artifact's digest.</summary>
    public string ArtifactDigest { get; init; } = "";

    /// <summary>rolling, blue-green, canary, shadow, rollback, or workflow for a job's record of entering the environment.</summary>
    public string Strategy { get; init; } = "";

    /// <summary>The version that served before; null on a first deployment or when not recorded.</summary>
    public string? PreviousVersion { get; init; }

    /// <summary>Blue-green: until when the previous release stays warm; null when it does not (any more).</summary>
    public DateTimeOffset? KeepPreviousUntil { get; init; }

    public IReadOnlyList<DeploymentStepResponse> Steps { get; init; } = [];

    /// <summary>The edge's counters of the versions at the end.</summary>
    public IReadOnlyList<DeploymentMetricsResponse> Metrics { get; init; } = [];

    /// <summary>Which mode let the release in: <c>delivery: approved by alice</c> or <c>deployment: the automated gates</c>; null when not recorded.</summary>
    public string? DecidedBy { get; init; }

    /// <summary>A canary's progress as its rollout last published it: the step, the weights, the traffic, what it waits for; null for other strategies.</summary>
    public Delivery.Rollouts.CanaryProgress? Progress { get; init; }

    /// <summary>Every analysis decision that ended a step or the rollout (passed, failed, inconclusive), with its numbers, in order.</summary>
    public IReadOnlyList<Delivery.Analysis.AnalysisDecision> Decisions { get; init; } = [];
}
