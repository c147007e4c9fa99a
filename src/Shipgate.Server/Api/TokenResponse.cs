namespace Shipgate.Server.Api;

/// <summary>An API token; <see cref="Token"/> is set only in the answer that created it.</summary>
public sealed record TokenResponse(long Id, string User, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, string? Token);
