namespace Shipgate.Server.Api;

/// <summary>
/// The delivery insights (DORA's measures and approval waits, docs/insights.md) over the period [<see cref="From"/>,
/// <see cref="To"/>), for one project or all, one environment or all: the whole scope, then each project and environment.
/// </summary>
public sealed record InsightsResponse(
    string? Project,
    string? Environment,
    DateTimeOffset From,
    DateTimeOffset To,
    DeliveryMeasuresResponse Overall,
    IReadOnlyList<DeliveryMeasuresResponse> Environments,
    ApprovalInsightsResponse Approvals);
