namespace Shipgate.Engine.Artifacts;

/// <summary>An artifact as a run knows it: its name in the run and the immutable content it names.</summary>
/// <param name="Id">Unique in the store, increasing; a replaced artifact gets a new id (upload-artifact's artifact-id).</param>
/// <param name="RunId">The run that uploaded it.</param>
/// <param name="Name">Unique within the run.</param>
/// <param name="Digest">The manifest's digest, <c>sha256:hex</c>: the same content gives the same digest.</param>
/// <param name="Size">The sum of its files' sizes in bytes.</param>
/// <param name="FileCount">How many files it holds.</param>
/// <param name="CreatedAt">When it was uploaded.</param>
/// <param name="ExpiresAt">When it may be deleted (retention-days), null for never.</param>
public sealed record ArtifactRecord(
    long Id,
    string RunId,
    string Name,
    string Digest,
    long Size,
    int FileCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt);
