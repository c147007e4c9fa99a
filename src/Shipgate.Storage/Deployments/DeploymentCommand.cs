namespace Shipgate.Storage.Deployments;

/// <summary>A verb given to a running deployment (promote, promote-full, abort, pause, resume) and who gave it.</summary>
public sealed record DeploymentCommand(long Id, long DeploymentId, string Verb, string Actor, DateTimeOffset GivenAt);
