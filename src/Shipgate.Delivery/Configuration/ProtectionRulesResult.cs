namespace Shipgate.Delivery.Configuration;

/// <summary>The rules that apply to a run's environment, and which of them the run's commit tightened (empty: none).</summary>
public sealed record ProtectionRulesResult(EnvironmentDefinition? Effective, IReadOnlyList<string> Tightened)
{
    /// <summary>True when the run's commit made a rule stricter than the protected branch's.</summary>
    public bool IsTightened => Tightened.Count > 0;
}
