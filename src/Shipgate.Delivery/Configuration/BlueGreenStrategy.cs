using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary><c>strategy: blue-green</c>: the new release starts beside the old and traffic switches at once.</summary>
public sealed record BlueGreenStrategy(SourceLocation? Location) : RolloutStrategy(Location)
{
    public override string Name => "blue-green";
}
