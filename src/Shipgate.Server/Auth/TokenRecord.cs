namespace Shipgate.Server.Auth;

/// <summary>An API token as stored: never the token itself, only its SHA-256 hash (kept by the store).</summary>
internal sealed record TokenRecord(long Id, string UserName, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
