namespace Shipgate.Server.Api;

/// <summary>
/// One environment of a project: its rules as <c>shipgate.yml</c> declares them (absent when <see cref="Declared"/>
/// is false), the names of its secrets and variables (never their values), the release each service runs there,
/// the deployments in progress and how many wait behind them.
/// </summary>
public sealed record EnvironmentResponse(
    string Name,
    bool Declared,
    string? Mode,
    string[]? Branches,
    EnvironmentApprovalResponse? Approval,
    string? WaitTimer,
    FreezeWindowResponse[] Freeze,
    DateTimeOffset? FrozenUntil,
    string[] Secrets,
    string[] Variables,
    EnvironmentStatusResponse[] Releases,
    DeploymentResponse[] Active,
    int Queued);
