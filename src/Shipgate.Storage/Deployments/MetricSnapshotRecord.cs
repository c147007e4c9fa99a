namespace Shipgate.Storage.Deployments;

public sealed record MetricSnapshotRecord(long Id, long DeploymentId, string Version, DateTimeOffset WindowStart, DateTimeOffset WindowEnd, string CountsJson, DateTimeOffset TakenAt);
