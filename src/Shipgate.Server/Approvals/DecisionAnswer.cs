using Shipgate.Storage.Approvals;

namespace Shipgate.Server.Approvals;

/// <summary>What became of a decision: the outcome, one sentence, and the approval after it.</summary>
internal sealed record DecisionAnswer(DecisionOutcomeKind Outcome, string Message, ApprovalRecord? Approval);
