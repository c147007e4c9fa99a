namespace Shipgate.Delivery.Approvals;

/// <summary>One accepted decision of a reviewer, in the order they came; the approval's audit trail.</summary>
public sealed record ReviewDecision(string User, ReviewVerdict Verdict, string? Comment, DateTimeOffset At);
