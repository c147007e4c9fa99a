namespace Shipgate.Core.Workflows;

/// <summary>The <c>on:</c> section.</summary>
public sealed class WorkflowTriggers
{
    public RefFilter? Push { get; init; }

    public RefFilter? PullRequest { get; init; }

    /// <summary><c>pull_request_target</c>: the same filters as pull_request (never fires on the host).</summary>
    public RefFilter? PullRequestTarget { get; init; }

    public DispatchTrigger? WorkflowDispatch { get; init; }

    /// <summary>Cron expressions of <c>schedule</c>, five fields, UTC.</summary>
    public IReadOnlyList<ScalarToken> Schedules { get; init; } = [];

    public CallTrigger? WorkflowCall { get; init; }

    /// <summary>Other event names (accepted; they never fire on the host).</summary>
    public IReadOnlyList<string> OtherEvents { get; init; } = [];
}
