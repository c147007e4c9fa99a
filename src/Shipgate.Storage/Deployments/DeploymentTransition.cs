namespace Shipgate.Storage.Deployments;

/// <summary>What became of a deployment state change.</summary>
public enum DeploymentTransition
{
    Applied,

    /// <summary>The deployment was not in the expected state (or does not exist); nothing changed.</summary>
    NotInExpectedState,

    /// <summary>Another deployment of the service to the environment is active (progressing or paused); this one stays queued.</summary>
    BlockedByActiveDeployment,
}
