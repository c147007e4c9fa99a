namespace Shipgate.Delivery.Edge;

/// <summary>A release of a service on the edge, with its instances.</summary>
public sealed record EdgeReleaseStatus
{
    public required string Version { get; init; }

    public required string ArtifactDigest { get; init; }

    public required string Command { get; init; }

    /// <summary>How many instances it should have.</summary>
    public required int Instances { get; init; }

    /// <summary>Its weight in the routing now, per mille.</summary>
    public int Weight { get; init; }

    public IReadOnlyList<EdgeInstanceStatus> InstanceStatuses { get; init; } = [];

    /// <summary>True when at least one instance crashed more than 3 times within the last minute.</summary>
    public bool CrashLooping { get; init; }

    public DateTimeOffset DeclaredAt { get; init; }
}
