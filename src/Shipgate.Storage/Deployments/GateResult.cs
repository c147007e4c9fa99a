namespace Shipgate.Storage.Deployments;

/// <summary>What a gate answered (DESIGN.md principle 6).</summary>
public enum GateResult
{
    Pass,
    Fail,
    Pending,
}
