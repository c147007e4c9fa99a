namespace Shipgate.Delivery.Gates;

/// <summary><c>mode: deployment</c>: no people are asked; the decision is recorded as automatic by policy.</summary>
internal sealed class ModeGate : IEnvironmentGate
{
    public static ModeGate Instance { get; } = new();

    public GateResult Evaluate(EnvironmentGateContext context) => GateResult.Pass(GateNames.Mode, "automatic by policy");
}
