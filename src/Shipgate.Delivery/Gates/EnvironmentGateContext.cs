using Shipgate.Delivery.Approvals;

namespace Shipgate.Delivery.Gates;

/// <summary>A request with its moment and, when no approval is open yet, the approval policy resolved for it.</summary>
internal sealed record EnvironmentGateContext(EnvironmentGateRequest Request, DateTimeOffset Now, ApprovalPolicy? ResolvedPolicy)
{
    public string EnvironmentName => Request.Environment.Name;
}
