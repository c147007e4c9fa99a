namespace Shipgate.Delivery.Rollouts;

/// <summary>One step of a rollout as it happened: declare-service, upload-artifact, start-release, wait-healthy, smoke, shift-traffic, watch, stop-previous…</summary>
public sealed record RolloutStep(string Name, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, RolloutStepOutcome Outcome, string Message);
