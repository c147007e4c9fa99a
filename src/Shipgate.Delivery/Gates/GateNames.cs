namespace Shipgate.Delivery.Gates;

/// <summary>
/// The names gates are recorded under. An open set: the rollout gates of the roadmap (pause, analysis,
/// smoke-test, flag-ramp) add theirs without changing <see cref="GateResult"/>.
/// </summary>
public static class GateNames
{
    /// <summary>The combined answer of an environment's gates.</summary>
    public const string Environment = "environment";

    public const string Branch = "branch";

    public const string Freeze = "freeze";

    public const string Mode = "mode";

    public const string Approval = "approval";

    public const string WaitTimer = "wait-timer";
}
