using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shipgate.Server.Api;
using Shipgate.Server.Auth;

namespace Shipgate.Server.Approvals;

/// <summary><c>POST /api/v1/runs/ID/freeze-override</c>: an admin lets a run's deployment to an environment through a freeze window.</summary>
internal static class FreezeOverrideEndpoints
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/runs/{id:long}/freeze-override", OverrideAsync)
            .RequireAuthorization(ApiPolicies.Admin)
            .WithTags("Approvals")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<IResult> OverrideAsync(long id, FreezeOverrideRequest? request, ClaimsPrincipal principal, EnvironmentGates gates, CancellationToken cancellationToken)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.Environment))
        {
            return Problems.BadRequest("A freeze override names the environment.");
        }

        var answer = await gates.OverrideFreezeAsync(id, request.Environment.Trim(), Caller.From(principal)!, request.Reason, cancellationToken).ConfigureAwait(false);
        return answer.Outcome switch
        {
            DecisionOutcomeKind.NotFound => Problems.NotFound(answer.Message),
            DecisionOutcomeKind.Conflict => Problems.Conflict(answer.Message),
            DecisionOutcomeKind.Invalid => Problems.BadRequest(answer.Message),
            _ => TypedResults.NoContent(),
        };
    }
}
