namespace Shipgate.Storage.Users;

/// <summary>A Shipgate user. <see cref="Environments"/> empty means every environment.</summary>
public sealed record UserRecord(long Id, string Name, UserRole Role, IReadOnlyList<string> Emails, IReadOnlyList<string> Environments, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt)
{
    /// <summary>The user's git host logins (<c>github:alice</c>), lower-cased; each belongs to one user.</summary>
    public IReadOnlyList<string> Logins { get; init; } = [];
}
