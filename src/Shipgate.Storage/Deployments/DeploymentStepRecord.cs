namespace Shipgate.Storage.Deployments;

/// <summary>One strategy step of a deployment: declare-service, wait-healthy, smoke-before, shift-traffic, watch… Outcome: succeeded, failed or skipped.</summary>
public sealed record DeploymentStepRecord(string Name, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string Outcome, string Message);
