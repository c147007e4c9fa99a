namespace Shipgate.Storage.Deployments;

/// <summary>
/// A deployment's state machine: pending → waiting → progressing ⇄ paused → succeeded | failed |
/// rolled-back | cancelled. Progressing and paused are <em>active</em>: the database holds at most one
/// active deployment per (project, service, environment).
/// </summary>
public enum DeploymentStatus
{
    Pending,
    Waiting,
    Progressing,
    Paused,
    Succeeded,
    Failed,
    RolledBack,
    Cancelled,
}
