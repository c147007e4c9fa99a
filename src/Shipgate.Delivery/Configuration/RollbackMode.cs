namespace Shipgate.Delivery.Configuration;

/// <summary>What happens when a deployment to the environment fails a gate.</summary>
public enum RollbackMode
{
    /// <summary>The previous release is restored by itself (the default).</summary>
    Automatic,

    /// <summary>The deployment stops where it is and someone runs <c>shipgate rollback</c>.</summary>
    Manual,
}
