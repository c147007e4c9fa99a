using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary>
/// <c>- header-route: { name: X-Canary, value: "1" }</c>: from this step on, requests whose header <see cref="Name"/>
/// equals <see cref="Value"/> go to the new release whatever the weights; the others follow the weights.
/// </summary>
public sealed record CanaryHeaderRouteStep(string Name, string Value, SourceLocation Location) : CanaryStep(Location)
{
    public override string Kind => "header-route";
}
