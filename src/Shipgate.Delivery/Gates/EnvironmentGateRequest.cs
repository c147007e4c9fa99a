using Shipgate.Delivery.Approvals;
using Shipgate.Delivery.Configuration;

namespace Shipgate.Delivery.Gates;

/// <summary>Everything the gates of an environment look at when a run's job asks to enter it.</summary>
public sealed class EnvironmentGateRequest
{
    /// <summary>The run; with the environment, it is the <see cref="ApprovalKey"/>.</summary>
    public required string RunId { get; init; }

    /// <summary>The environment's rules: the protected branch's, tightened by the run's commit (<see cref="ProtectionRules"/>).</summary>
    public required EnvironmentDefinition Environment { get; init; }

    /// <summary>The run's ref: <c>refs/heads/main</c>, <c>refs/tags/v1</c>; a bare name is read as a branch.</summary>
    public required string Ref { get; init; }

    /// <summary>When the run first asked to enter the environment; the wait timer counts from here.</summary>
    public required DateTimeOffset RequestedAt { get; init; }

    /// <summary>The Shipgate user who started the run; null when unknown.</summary>
    public string? Initiator { get; init; }

    /// <summary>The Shipgate user who wrote the commit (mapped by email); null when unknown.</summary>
    public string? CommitAuthor { get; init; }

    /// <summary>The users who wrote, committed or pushed a commit of the release, for self-review.</summary>
    public IReadOnlyList<ReleaseContributor> Contributors { get; init; } = [];

    /// <summary>A commit of the release by someone who maps to no user, described; null when there is none.</summary>
    public string? UnknownAuthor { get; init; }

    /// <summary>The approval opened for this run and environment, if one was (see <see cref="EnvironmentGateOutcome.ApprovalToOpen"/>).</summary>
    public ApprovalState? Approval { get; init; }

    /// <summary>An admin's override of the freeze for this run and environment, if any.</summary>
    public FreezeOverride? FreezeOverride { get; init; }

    public ApprovalKey Key => new(RunId, Environment.Name);
}
