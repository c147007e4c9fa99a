namespace Shipgate.Server.Api;

/// <summary><c>POST /api/v1/users/{name}/emails</c> and <c>/logins</c>: an email (<c>alice@home.example</c>) or a git host login (<c>github:alice</c>) to add.</summary>
public sealed record UserIdentityRequest(string Value);
