namespace Shipgate.Delivery.Rollouts;

/// <summary>How a rollout ended.</summary>
public enum RolloutStatus
{
    /// <summary>The new release takes all traffic and passed its watch.</summary>
    Succeeded,

    /// <summary>
    /// It stopped before traffic moved (the old release serves untouched), or, with <c>rollback: manual</c>, after
    /// it: the failing release is left as it is.
    /// </summary>
    Failed,

    /// <summary>Traffic had moved and the previous release was put back.</summary>
    RolledBack,
}
