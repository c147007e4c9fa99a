namespace Shipgate.Server.Api;

/// <summary><c>POST /api/v1/deployments/rollback</c>: put an earlier release of a service back; <see cref="To"/> default the release before the one serving.</summary>
public sealed record RollbackRequest(string? Project, string? Service, string? Environment, string? To, string? Reason);
