namespace Shipgate.Storage.Approvals;

/// <summary>One reviewer's decision on an approval; a reviewer has at most one per approval.</summary>
public sealed record ApprovalDecisionRecord(long ApprovalId, string User, ApprovalDecision Decision, string? Comment, DateTimeOffset At);
