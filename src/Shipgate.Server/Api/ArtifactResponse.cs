namespace Shipgate.Server.Api;

/// <summary>
/// An artifact a run uploaded. <see cref="Digest"/> is <c>sha256:</c> and the hex SHA-256 of its manifest
/// (the same content has the same digest); <see cref="Size"/> is the sum of its files' sizes in bytes;
/// <see cref="Job"/> is the job that uploaded it, known once the run has completed.
/// </summary>
public sealed record ArtifactResponse(string Name, long Size, string Digest, int Files, string? Job, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);
