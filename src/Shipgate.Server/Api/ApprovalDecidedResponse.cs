namespace Shipgate.Server.Api;

/// <summary>What a decision did, in one sentence, and the approval after it.</summary>
public sealed record ApprovalDecidedResponse(string Message, ApprovalResponse Approval);
