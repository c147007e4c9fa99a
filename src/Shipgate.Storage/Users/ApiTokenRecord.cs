namespace Shipgate.Storage.Users;

/// <summary>An API token as stored: its SHA-256 only, and a prefix to tell tokens apart in listings.</summary>
public sealed record ApiTokenRecord(long Id, long UserId, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
