using Shipgate.Delivery.Edge;

namespace Shipgate.Edge.State;

/// <summary>A declared release and the instances running it.</summary>
internal sealed record PersistedRelease
{
    public required string Version { get; init; }

    public required EdgeReleaseSpec Spec { get; init; }

    public required DateTimeOffset DeclaredAt { get; init; }

    /// <summary>True while its instances are being stopped: a restart of the edge finishes the stop and drops it.</summary>
    public bool Removing { get; init; }

    public List<PersistedInstance> Instances { get; init; } = [];
}
