using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary><c>- pause: { duration: 5m }</c>, or <c>- pause: {}</c> to wait until someone runs <c>shipgate promote</c>.</summary>
public sealed record CanaryPauseStep(TimeSpan? Duration, SourceLocation Location) : CanaryStep(Location)
{
    public override string Kind => "pause";
}
