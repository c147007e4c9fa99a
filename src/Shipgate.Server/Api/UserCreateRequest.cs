namespace Shipgate.Server.Api;

/// <summary>
/// <c>POST /api/v1/users</c>: a user with a role (viewer, developer, approver, admin), optionally limited to environments,
/// with the commit emails and git host logins (<c>github:alice</c>) that are theirs.
/// </summary>
public sealed record UserCreateRequest(string Name, IReadOnlyList<string>? Emails, string Role, IReadOnlyList<string>? Environments, IReadOnlyList<string>? Logins = null);
