namespace Shipgate.Engine.Actions;

/// <summary>
/// Asks people to approve (trstringer/manual-approval, environments). The CLI answers on the terminal
/// or with <c>--approve-as</c>; the server makes it a durable approval.
/// </summary>
public interface IApprovalGate
{
    Task<ApprovalDecision> RequestAsync(ApprovalRequest request, CancellationToken cancellationToken = default);
}

/// <summary>What is to be approved and by whom.</summary>
public sealed record ApprovalRequest(
    string Title,
    string Body,
    IReadOnlyList<string> Approvers,
    int MinimumApprovals,
    bool ExcludeInitiator,
    string Initiator,
    string RunId,
    string JobId);

/// <summary>The outcome: approved or not, by whom, and why in one sentence.</summary>
public sealed record ApprovalDecision(bool Approved, IReadOnlyList<string> DecidedBy, string Reason);
