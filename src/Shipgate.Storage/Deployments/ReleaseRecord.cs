namespace Shipgate.Storage.Deployments;

public sealed record ReleaseRecord(long Id, long ProjectId, string Service, string Version, string ArtifactDigest, string CommitSha, DateTimeOffset CreatedAt)
{
    /// <summary>When the release's commit was made (git's committer time), read when the release was recorded; null when unknown.</summary>
    public DateTimeOffset? CommittedAt { get; init; }
}
