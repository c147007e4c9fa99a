namespace Shipgate.Delivery.Approvals;

/// <summary>A refused decision: its kind (which maps to 403, 409 or 400) and one sentence for the user.</summary>
public sealed record ApprovalRefusal(ApprovalRefusalKind Kind, string Message);
