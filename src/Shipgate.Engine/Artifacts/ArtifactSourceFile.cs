namespace Shipgate.Engine.Artifacts;

/// <summary>A file to put into an artifact: where it is now and its path inside the artifact.</summary>
public sealed record ArtifactSourceFile(string FullPath, string RelativePath);
