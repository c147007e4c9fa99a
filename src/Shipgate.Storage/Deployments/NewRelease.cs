namespace Shipgate.Storage.Deployments;

/// <summary>A release: (service, version, artifact digest, commit). Immutable once recorded.</summary>
public sealed record NewRelease
{
    public required long ProjectId { get; init; }

    public required string Service { get; init; }

    public required string Version { get; init; }

    public required string ArtifactDigest { get; init; }

    public required string CommitSha { get; init; }

    /// <summary>When the commit was made (git's committer time), for lead time; null when git could not tell.</summary>
    public DateTimeOffset? CommittedAt { get; init; }
}
