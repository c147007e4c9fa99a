namespace Shipgate.Delivery.Gates;

/// <summary>The three answers of every gate.</summary>
public enum GateStatus
{
    /// <summary>The gate lets the release through.</summary>
    Pass,

    /// <summary>The gate stops the release for good (for this run); the job fails with the gate's reason.</summary>
    Fail,

    /// <summary>The gate cannot answer yet: someone must act, or time must pass (see <see cref="GateResult.RetryAt"/>).</summary>
    Pending,
}
