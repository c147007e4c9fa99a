namespace Shipgate.Server.Api;

/// <summary>A user.</summary>
public sealed record UserResponse(string Name, IReadOnlyList<string> Emails, string Role, IReadOnlyList<string> Environments, DateTimeOffset CreatedAt, IReadOnlyList<string>? Logins = null);
