using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary>
/// How a release replaces the one running in an environment: <see cref="RollingStrategy"/> (the default),
/// <see cref="BlueGreenStrategy"/> or <see cref="CanaryStrategy"/>. Parsed and validated now, carried out by
/// the edge later (ROADMAP 1 and 2).
/// </summary>
public abstract record RolloutStrategy(SourceLocation? Location)
{
    /// <summary>The strategy's name as written: rolling, blue-green or canary.</summary>
    public abstract string Name { get; }
}
