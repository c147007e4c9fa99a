using Shipgate.Storage.Approvals;

namespace Shipgate.Storage.Insights;

/// <summary>One reviewer's decision on an approval, with when the approval was asked.</summary>
public readonly record struct ReviewerDecisionFact(
    string Project, string? Environment, string Reviewer, ApprovalDecision Decision, DateTimeOffset RequestedAt, DateTimeOffset DecidedAt);
