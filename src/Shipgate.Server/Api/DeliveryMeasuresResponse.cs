namespace Shipgate.Server.Api;

/// <summary>
/// DORA's five measures for a scope (the whole query when <see cref="Project"/> and <see cref="Environment"/> are null).
/// A measure without data is null (never a zero that was not measured).
/// </summary>
public sealed record DeliveryMeasuresResponse(
    string? Project,
    string? Environment,
    int Deployments,
    int Succeeded,
    int Failed,
    int RolledBack)
{
    /// <summary>Succeeded deployments per day and per week of the period; null when no deployment ended in it.</summary>
    public FrequencyResponse? DeploymentFrequency { get; init; }

    /// <summary>From the release's commit to the deployment succeeding; null without a sample.</summary>
    public DurationStatsResponse? LeadTime { get; init; }

    /// <summary>Succeeded deployments left out of lead time: their release was recorded without a commit time (before migration 12).</summary>
    public int LeadTimeUnknown { get; init; }

    /// <summary>Change failures (failed, rolled back, or undone by <c>shipgate rollback</c>) ÷ ended deployments; null when none ended.</summary>
    public RateResponse? ChangeFailRate { get; init; }

    /// <summary>From a change failure to the next succeeded deployment of its service in its environment; null without a sample.</summary>
    public DurationStatsResponse? RecoveryTime { get; init; }

    /// <summary>Change failures in the period that no succeeded deployment has followed yet.</summary>
    public int Unrecovered { get; init; }

    /// <summary>Unplanned deployments (rollbacks, and fixes within 24 h of a change failure) ÷ ended deployments; null when none ended.</summary>
    public RateResponse? ReworkRate { get; init; }
}
