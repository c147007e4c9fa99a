namespace Shipgate.Server.Api;

/// <summary>A reviewer's comment on approving or rejecting (a rejection needs one).</summary>
public sealed record ApprovalDecisionRequest(string? Comment);
