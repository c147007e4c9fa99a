namespace Shipgate.Storage.Runs;

/// <summary>An artifact a run uploaded: its name in the run, its content digest and size, and the job that uploaded it.</summary>
public sealed record ArtifactRecord(long RunId, string Name, string Digest, long Size, string JobKey, DateTimeOffset CreatedAt);
