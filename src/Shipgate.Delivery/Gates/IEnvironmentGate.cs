namespace Shipgate.Delivery.Gates;

/// <summary>One rule of an environment: a pure function of the request and the moment.</summary>
internal interface IEnvironmentGate
{
    GateResult Evaluate(EnvironmentGateContext context);
}
