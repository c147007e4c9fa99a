using Shipgate.Core.Diagnostics;

namespace Shipgate.Delivery.Configuration;

/// <summary>
/// <c>- http: { path: /health/deep, status: 200 }</c>: a request to the canary through the edge's listener, pinned to
/// its version, judged like a smoke check (status, body, latency). Only a path is written, never a URL, so a commit
/// cannot point the server at an address of its choosing.
/// </summary>
public sealed record HttpCheckMetric(SmokeCheck Check, SourceLocation? Location) : AnalysisMetric(Location)
{
    public override string Name => $"http:{Check.DisplayName}";
}
