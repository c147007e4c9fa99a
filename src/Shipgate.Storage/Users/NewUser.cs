namespace Shipgate.Storage.Users;

public sealed record NewUser
{
    /// <summary>Unique among users, ignoring case.</summary>
    public required string Name { get; init; }

    public required UserRole Role { get; init; }

    /// <summary>Commit author emails that map to this user (compared case-insensitively; each belongs to one user).</summary>
    public IReadOnlyList<string> Emails { get; init; } = [];

    /// <summary>Git host logins (<c>github:alice</c>; compared case-insensitively; each belongs to one user).</summary>
    public IReadOnlyList<string> Logins { get; init; } = [];

    /// <summary>The environments an approver may approve for; empty means every environment.</summary>
    public IReadOnlyList<string> Environments { get; init; } = [];
}
