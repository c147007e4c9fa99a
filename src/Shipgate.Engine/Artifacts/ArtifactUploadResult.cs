namespace Shipgate.Engine.Artifacts;

/// <summary>The stored artifact, or why it was refused (a name conflict, an invalid name) in one sentence.</summary>
public sealed record ArtifactUploadResult(ArtifactRecord? Artifact, string? Error)
{
    public static ArtifactUploadResult Refused(string error) => new(null, error);
}
