namespace Shipgate.Server.Api;

/// <summary><c>POST /api/v1/projects</c>: a local repository path or a clone URL, and the branch to watch (default main).</summary>
public sealed record ProjectCreateRequest(string Name, string Repository, string? Branch);
