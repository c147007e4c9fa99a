namespace Shipgate.Server.Api;

/// <summary>
/// <c>POST /api/v1/deployments/{id}/promote|abort|pause|resume|retry</c>: <see cref="Full"/> (promote only) skips every
/// remaining step; <see cref="Reason"/> goes to the audit log.
/// </summary>
public sealed record DeploymentVerbRequest(bool Full = false, string? Reason = null);
