using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary>
/// How a release replaces the one running in an environment: <see cref="RollingStrategy"/> (the default),
/// <see cref="BlueGreenStrategy"/>, <see cref="CanaryStrategy"/>, <see cref="ShadowStrategy"/> or <see cref="FlagRampStrategy"/>, carried out by the
/// deploy step through the edge (docs/progressive-delivery.md).
/// </summary>
public abstract record RolloutStrategy(SourceLocation? Location)
{
    /// <summary>Every strategy's name, as written in shipgate.yml and recorded on deployments.</summary>
    public static readonly IReadOnlyList<string> Names = ["rolling", "blue-green", "canary", "shadow", "flag"];

    /// <summary>The strategy's name as written: rolling, blue-green, canary, shadow or flag.</summary>
    public abstract string Name { get; }

    /// <summary>The steps a progressive strategy runs as (a canary's own; a shadow's one phase); null for rolling, blue-green and a flag ramp (whose steps change a flag, not the traffic).</summary>
    public virtual CanaryStrategy? AsCanary => null;
}
