using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary>
/// <c>- approval: {}</c> (the environment's approval policy) or <c>- approval: { reviewers: [...] }</c>
/// (its own): people approve before the rollout goes on.
/// </summary>
public sealed record CanaryApprovalStep(ApprovalDefinition? Approval, SourceLocation Location) : CanaryStep(Location)
{
    public override string Kind => "approval";
}
