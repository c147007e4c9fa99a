namespace Shipgate.Server.Api;

/// <summary>A project: the repository Shipgate runs workflows for, and the branch it watches.</summary>
public sealed record ProjectResponse(string Name, string Repository, string Branch, bool Local, DateTimeOffset CreatedAt, string PrSecrets = "none");
