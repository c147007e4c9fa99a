using Shipgate.Storage.Approvals;

namespace Shipgate.Storage.Insights;

/// <summary>An approval as the delivery insights read it: where it was asked, its status, when it was asked and decided.</summary>
public readonly record struct ApprovalFact(string Project, string? Environment, ApprovalStatus Status, DateTimeOffset RequestedAt, DateTimeOffset? DecidedAt);
