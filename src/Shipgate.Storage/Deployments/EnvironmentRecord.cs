namespace Shipgate.Storage.Deployments;

/// <summary>An environment of a project as <c>shipgate.yml</c> declared it at <see cref="CommitSha"/> (its configuration as JSON, verbatim).</summary>
public sealed record EnvironmentRecord(long Id, long ProjectId, string Name, string CommitSha, string ConfigJson, DateTimeOffset UpdatedAt);
