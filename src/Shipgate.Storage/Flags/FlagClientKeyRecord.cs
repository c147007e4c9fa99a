namespace Shipgate.Storage.Flags;

/// <summary>A client key as stored: its SHA-256 only, the environment it reads, and a prefix to tell keys apart in listings.</summary>
public sealed record FlagClientKeyRecord(
    long Id,
    long ProjectId,
    string Environment,
    string Name,
    string Prefix,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt);
