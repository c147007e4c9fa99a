using Shipgate.Core.Diagnostics;
using Shipgate.Core.Triggers;

namespace Shipgate.Delivery.Configuration;

/// <summary>One entry of <c>environments:</c>: the protection rules a job naming it passes before it starts.</summary>
public sealed class EnvironmentDefinition
{
    /// <summary>The name; a DNS label, because the edge routes <c>SERVICE.NAME.localhost</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Where the environment is declared.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>
    /// Delivery (people approve) or deployment (automatic). Without <c>mode:</c> in the file, the parser makes it
    /// delivery when an <c>approval</c> block exists and deployment otherwise (an environment without rules deploys
    /// by itself, as on GitHub); a definition built in code defaults to deployment.
    /// </summary>
    public EnvironmentMode Mode { get; init; } = EnvironmentMode.Deployment;

    /// <summary>
    /// The refs that may deploy here, in order (GitHub's filter patterns; a <c>!</c> pattern excludes);
    /// null (the default) allows any ref. See <see cref="Gates.BranchGate"/> for how refs are matched.
    /// </summary>
    public IReadOnlyList<FilterPattern>? Branches { get; init; }

    /// <summary>
    /// Further patterns the ref must also match: a run's commit narrowing the protected branch's <see cref="Branches"/>
    /// for its own run (see <see cref="ProtectionRules"/>); null (the default) when nothing narrows them.
    /// </summary>
    public IReadOnlyList<FilterPattern>? NarrowedBranches { get; init; }

    /// <summary>Who approves in delivery mode; null when the environment has no <c>approval</c> block.</summary>
    public ApprovalDefinition? Approval { get; init; }

    /// <summary>How long a job waits after it asked to enter the environment; null (the default) not at all.</summary>
    public TimeSpan? WaitTimer { get; init; }

    /// <summary>Windows during which deployments wait. Default none.</summary>
    public IReadOnlyList<FreezeWindow> Freeze { get; init; } = [];

    /// <summary>How a release replaces the running one. Default rolling.</summary>
    public RolloutStrategy Strategy { get; init; } = RollingStrategy.Default;

    /// <summary>What a failed deployment does. Default automatic.</summary>
    public RollbackMode Rollback { get; init; } = RollbackMode.Automatic;

    /// <summary>HTTP checks run against a release before traffic moves to it, after, and through the watch. Default none.</summary>
    public IReadOnlyList<SmokeCheck> Smoke { get; init; } = [];

    /// <summary>How long a deployment watches the new release (health, crash loops, smoke) before it succeeds. Default 2m; 0s: not at all.</summary>
    public TimeSpan Watch { get; init; } = DefaultWatch;

    /// <summary>How long blue-green keeps the previous release warm (weight 0) so switching back is instant. Default 15m.</summary>
    public TimeSpan RollbackWindow { get; init; } = DefaultRollbackWindow;

    /// <summary>The watch of an environment that sets none.</summary>
    public static readonly TimeSpan DefaultWatch = TimeSpan.FromMinutes(2);

    /// <summary>The rollback window of an environment that sets none.</summary>
    public static readonly TimeSpan DefaultRollbackWindow = TimeSpan.FromMinutes(15);

    /// <summary>Host names the edge routes to this environment besides <c>SERVICE.NAME.localhost</c>, lower-cased.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];
}
