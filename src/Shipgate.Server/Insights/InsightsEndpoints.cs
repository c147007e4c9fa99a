using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shipgate.Server.Api;
using Shipgate.Server.Auth;
using Shipgate.Server.Hosting;

namespace Shipgate.Server.Insights;

/// <summary>
/// <c>GET /api/v1/insights[?project=P][&amp;environment=E][&amp;since=30d | &amp;from=DATE&amp;to=DATE]</c> (viewers): DORA's
/// measures and the approval waits over the period (docs/insights.md).
/// </summary>
internal static class InsightsEndpoints
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/insights", GetAsync)
            .RequireAuthorization(ApiPolicies.Viewer)
            .WithTags("Insights")
            .WithSummary("Delivery insights: DORA's measures and approval waits over a period.")
            .Produces<InsightsResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<IResult> GetAsync(
        ServerStore store,
        DeliveryInsights insights,
        string? project,
        string? environment,
        string? since,
        string? from,
        string? to,
        CancellationToken cancellationToken)
    {
        if (!insights.TryParsePeriod(since, from, to, out var period, out var error))
        {
            return Problems.BadRequest(error);
        }

        long? projectId = null;
        if (!string.IsNullOrEmpty(project))
        {
            if (await store.Store.Projects.GetByNameAsync(project, cancellationToken).ConfigureAwait(false) is not { } record)
            {
                return Problems.NotFound($"There is no project '{project}'.");
            }

            projectId = record.Id;
        }

        var response = await insights.ComputeAsync(store.Store, projectId, NullIfEmpty(project), NullIfEmpty(environment), period, cancellationToken)
            .ConfigureAwait(false);
        return TypedResults.Ok(response);
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
