namespace Shipgate.Server.Api;

/// <summary>The release an environment runs for a service: what its latest succeeded deployment brought.</summary>
public sealed record EnvironmentStatusResponse(
    string Project,
    string Environment,
    string Service,
    string Version,
    string ArtifactDigest,
    string Commit,
    long Deployment,
    DateTimeOffset DeployedAt);
