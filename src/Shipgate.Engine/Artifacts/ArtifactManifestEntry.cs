namespace Shipgate.Engine.Artifacts;

/// <summary>One file of an artifact: its path relative to the artifact's root, size, mode and content digest.</summary>
/// <param name="Path">Relative, with forward slashes.</param>
/// <param name="Size">In bytes.</param>
/// <param name="Executable">True for mode 0755, false for 0644 (normalised like git, so the digest does not depend on a umask).</param>
/// <param name="Digest"><c>sha256:</c> and the hex SHA-256 of the content.</param>
public sealed record ArtifactManifestEntry(string Path, long Size, bool Executable, string Digest);
