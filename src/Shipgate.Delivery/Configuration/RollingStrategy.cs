using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary><c>strategy: rolling</c>: instances are replaced one at a time, each healthy before the next.</summary>
public sealed record RollingStrategy(SourceLocation? Location) : RolloutStrategy(Location)
{
    /// <summary>The strategy of an environment that names none.</summary>
    public static RollingStrategy Default { get; } = new((SourceLocation?)null);

    public override string Name => "rolling";
}
