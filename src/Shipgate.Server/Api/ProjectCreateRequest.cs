namespace Shipgate.Server.Api;

/// <summary>
/// <c>POST /api/v1/projects</c>: a local repository path or a clone URL, the branch to watch (default main), which is also
/// the protected branch whose shipgate.yml protects the environments, and whether pull-request runs receive secrets
/// (<c>none</c>, the default, or <c>users</c>: those opened by a user of the server).
/// </summary>
public sealed record ProjectCreateRequest(string Name, string Repository, string? Branch, string? PrSecrets = null);
