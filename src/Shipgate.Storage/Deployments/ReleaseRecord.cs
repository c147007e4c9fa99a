namespace Shipgate.Storage.Deployments;

public sealed record ReleaseRecord(long Id, long ProjectId, string Service, string Version, string ArtifactDigest, string CommitSha, DateTimeOffset CreatedAt);
