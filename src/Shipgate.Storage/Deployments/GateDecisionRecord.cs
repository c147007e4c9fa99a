namespace Shipgate.Storage.Deployments;

public sealed record GateDecisionRecord(long Id, long? DeploymentId, long? ApprovalId, long? RunId, string? JobKey, string Gate, GateResult Result, string Reason, string? NumbersJson, DateTimeOffset DecidedAt);
