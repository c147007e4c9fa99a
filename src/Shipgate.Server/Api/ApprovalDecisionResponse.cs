namespace Shipgate.Server.Api;

/// <summary>A reviewer's decision: approved or rejected, with the comment.</summary>
public sealed record ApprovalDecisionResponse(string User, string Decision, string? Comment, DateTimeOffset At);
