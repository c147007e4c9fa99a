using Shipgate.Core.Diagnostics;
using Shipgate.Core.Triggers;
using Shipgate.Delivery.Approvals;
using Shipgate.Delivery.Configuration;
using Shipgate.Delivery.Gates;

namespace Shipgate.Delivery.Tests.Gates;

/// <summary>Environments and requests for gate tests.</summary>
internal static class TestGates
{
    public static readonly DateTimeOffset Requested = new(2025, 6, 4, 10, 0, 0, TimeSpan.Zero);

    public static EnvironmentDefinition Environment(
        EnvironmentMode mode = EnvironmentMode.Deployment,
        string[]? branches = null,
        ApprovalDefinition? approval = null,
        TimeSpan? waitTimer = null,
        IReadOnlyList<FreezeWindow>? freeze = null) => new()
        {
            Name = "production",
            Location = new SourceLocation("shipgate.yml", 1, 1),
            Mode = mode,
            Branches = branches?.Select(FilterPattern.Create).ToList(),
            Approval = approval,
            WaitTimer = waitTimer,
            Freeze = freeze ?? [],
        };

    public static EnvironmentGateRequest Request(
        EnvironmentDefinition environment,
        string gitRef = "refs/heads/main",
        ApprovalState? approval = null,
        FreezeOverride? freezeOverride = null,
        string? initiator = null,
        string? commitAuthor = null) => new()
        {
            RunId = "run-1",
            Environment = environment,
            Ref = gitRef,
            RequestedAt = Requested,
            Approval = approval,
            FreezeOverride = freezeOverride,
            Initiator = initiator,
            CommitAuthor = commitAuthor,
        };

    /// <summary>Evaluates one gate directly, at <paramref name="now"/>.</summary>
    public static GateResult Evaluate(IEnvironmentGate gate, EnvironmentGateRequest request, DateTimeOffset now, ApprovalPolicy? resolved = null) =>
        gate.Evaluate(new EnvironmentGateContext(request, now, resolved));
}
