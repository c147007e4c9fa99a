namespace Shipgate.Storage.Deployments;

/// <summary>What a deployment step brought about, written with its end in one transaction (see <see cref="DeploymentStore.CompleteDeploymentAsync"/>).</summary>
public sealed record DeploymentOutcome
{
    /// <summary>Succeeded, failed or rolled-back.</summary>
    public required DeploymentStatus Status { get; init; }

    /// <summary>Why it failed or was rolled back; null when it succeeded.</summary>
    public string? Reason { get; init; }

    public IReadOnlyList<DeploymentStepRecord> Steps { get; init; } = [];

    /// <summary>The release that served before; null on a first deployment.</summary>
    public long? PreviousReleaseId { get; init; }

    /// <summary>Blue-green: when the previous release is to be stopped; null when it was stopped already.</summary>
    public DateTimeOffset? KeepPreviousUntil { get; init; }

    /// <summary>The edge's counters per version at the end.</summary>
    public IReadOnlyList<NewMetricSnapshot> Snapshots { get; init; } = [];
}
