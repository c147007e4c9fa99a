namespace Shipgate.Delivery.Approvals;

/// <summary>A user who may decide an approval, and the reviewer entries that named them (<c>alice</c>, <c>team:ops</c>).</summary>
public sealed record ApprovalReviewer(string User, IReadOnlyList<string> Via);
