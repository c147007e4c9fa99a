namespace Shipgate.Engine.Runs;

/// <summary>An artifact a run uploaded: immutable, identified by its digest.</summary>
public sealed record RunArtifact(string Name, string Digest, long Size, string JobKey);
