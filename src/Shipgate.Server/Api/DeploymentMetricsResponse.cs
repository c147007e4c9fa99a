namespace Shipgate.Server.Api;

/// <summary>The edge's counters of one version at the end of a deployment (cumulative since the release was declared).</summary>
public sealed record DeploymentMetricsResponse(string Version, long Requests, long Status2xx, long Status4xx, long Status5xx, long TransportErrors, long Timeouts, DateTimeOffset TakenAt);
