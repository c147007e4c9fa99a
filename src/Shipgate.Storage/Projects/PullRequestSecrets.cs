namespace Shipgate.Storage.Projects;

/// <summary>
/// Whether a project's pull-request runs receive secrets (the project's and its environments'). GitHub gives none to
/// pull requests from forks; Shipgate cannot tell a fork from a branch, so it asks who opened the pull request.
/// </summary>
public enum PullRequestSecrets
{
    /// <summary>No pull-request run receives secrets (the default).</summary>
    None,

    /// <summary>A pull request opened by one of the server's users (mapped by git host login) receives them; others none.</summary>
    Users,
}
