namespace Shipgate.Server.Api;

/// <summary>
/// A client key of an environment. <see cref="Key"/> is there only in the answer that created it (shown once); listings
/// give the <see cref="Prefix"/> to tell keys apart.
/// </summary>
public sealed record FlagKeyResponse(
    long Id,
    string Project,
    string Environment,
    string Name,
    string Prefix,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt,
    string? Key = null);
