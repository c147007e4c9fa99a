namespace Shipgate.Storage.Approvals;

/// <summary>What became of a decision, and the approval's tally right after it (in the same transaction).</summary>
public sealed record DecisionResult(DecisionOutcome Outcome, int Approvals, int Rejections);
