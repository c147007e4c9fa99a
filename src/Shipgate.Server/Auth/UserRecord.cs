namespace Shipgate.Server.Auth;

/// <summary>A Shipgate user. <see cref="Environments"/> limits an approver to those environments; empty means all.</summary>
internal sealed record UserRecord(
    long Id,
    string Name,
    IReadOnlyList<string> Emails,
    ApiRole Role,
    IReadOnlyList<string> Environments,
    DateTimeOffset CreatedAt);
