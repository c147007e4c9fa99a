using Shipgate.Storage.Projects;
using Shipgate.Storage.Runs;

namespace Shipgate.Server.Runs;

/// <summary>
/// What a pull-request run may have (GitHub's rules for pull requests from forks, as Shipgate cannot tell a fork from a
/// branch): no secrets unless the project allows them for pull requests its users opened, and only environments whose
/// <c>branches</c> allow the merge ref <c>refs/pull/N/merge</c>, which no branch pattern matches.
/// </summary>
internal static class PullRequestRuns
{
    public const string EventName = "pull_request";

    public static bool Is(RunRecord run) => run.Event == EventName;

    /// <summary>
    /// True when the run may receive the project's and its environments' secrets: every run but a pull request's, and
    /// a pull request's where the project allows it and its author is a user (the initiator of a pull request by no user
    /// is its login, <c>github:mallory</c>, which a user's name cannot be).
    /// </summary>
    public static bool MayReceiveSecrets(RunRecord run, ProjectRecord project) =>
        !Is(run) || (project.PullRequestSecrets == PullRequestSecrets.Users && run.Initiator.Length > 0 && !run.Initiator.Contains(':', StringComparison.Ordinal));

    /// <summary>The ref an environment's <c>branches</c> are checked against: a pull request's merge ref, as GitHub does; else the run's ref.</summary>
    public static string GateRef(RunRecord run) =>
        Is(run) && run.Ref.StartsWith("refs/pull/", StringComparison.Ordinal) && run.Ref.EndsWith("/head", StringComparison.Ordinal) ? run.Ref[..^"/head".Length] + "/merge" : run.Ref;
}
