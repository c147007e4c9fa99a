namespace Shipgate.Server.Api;

/// <summary>
/// A project's environments: those <c>shipgate.yml</c> declares at the head of the project's branch
/// (<see cref="Commit"/>; null when the branch has no commit), then those only deployments or secrets name.
/// </summary>
public sealed record ProjectEnvironmentsResponse(string Project, string Branch, string? Commit, EnvironmentResponse[] Environments);
