namespace Shipgate.Storage.Deployments;

/// <summary>What became of a verb given to a deployment.</summary>
public enum CommandOutcome
{
    /// <summary>Recorded; the rollout takes it at its next look.</summary>
    Given,

    /// <summary>The same verb waits already, not yet taken: nothing changed.</summary>
    Duplicate,

    /// <summary>The deployment is not active (it ended, or never started): nothing changed.</summary>
    NotActive,
}
