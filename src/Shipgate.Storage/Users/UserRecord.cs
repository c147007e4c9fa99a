namespace Shipgate.Storage.Users;

/// <summary>A Shipgate user. <see cref="Environments"/> empty means every environment.</summary>
public sealed record UserRecord(long Id, string Name, UserRole Role, IReadOnlyList<string> Emails, IReadOnlyList<string> Environments, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt);
