namespace Shipgate.Server.Api;

/// <summary>One strategy step of a deployment: its name, start, end, outcome (succeeded, failed, skipped) and message.</summary>
public sealed record DeploymentStepResponse(string Name, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string Outcome, string Message);
