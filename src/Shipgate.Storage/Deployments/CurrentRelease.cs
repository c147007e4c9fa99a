namespace Shipgate.Storage.Deployments;

/// <summary>The release an environment runs for a service: the one its latest succeeded deployment brought.</summary>
public sealed record CurrentRelease(string Service, string Environment, ReleaseRecord Release, long DeploymentId, DateTimeOffset DeployedAt);
