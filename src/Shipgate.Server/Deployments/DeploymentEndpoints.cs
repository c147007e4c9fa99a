using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shipgate.Server.Api;
using Shipgate.Server.Auth;
using Shipgate.Server.Hosting;
using Shipgate.Storage.Deployments;

namespace Shipgate.Server.Deployments;

/// <summary><c>GET /api/v1/deployments?project=P[&amp;environment=E][&amp;limit=N]</c>: a project's deployments, newest first.</summary>
internal static class DeploymentEndpoints
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/deployments", ListAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Deployments").Produces<DeploymentResponse[]>().ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<IResult> ListAsync(ServerStore store, string? project, string? environment, int? limit, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(project))
        {
            return Problems.BadRequest("Listing deployments needs ?project=NAME.");
        }

        if (await store.Store.Projects.GetByNameAsync(project, cancellationToken).ConfigureAwait(false) is not { } record)
        {
            return Problems.NotFound($"There is no project '{project}'.");
        }

        var deployments = await store.Store.Deployments.ListDeploymentsAsync(record.Id, string.IsNullOrWhiteSpace(environment) ? null : environment, limit ?? 100, cancellationToken).ConfigureAwait(false);
        var releases = new Dictionary<long, ReleaseRecord?>();
        var responses = new List<DeploymentResponse>();
        foreach (var deployment in deployments)
        {
            if (!releases.TryGetValue(deployment.ReleaseId, out var release))
            {
                release = releases[deployment.ReleaseId] = await store.Store.Deployments.GetReleaseAsync(deployment.ReleaseId, cancellationToken).ConfigureAwait(false);
            }

            responses.Add(ToResponse(deployment, record.Name, release));
        }

        return TypedResults.Ok(responses.ToArray());
    }

    /// <summary>The API's view of a deployment of <paramref name="project"/> that brought <paramref name="release"/>.</summary>
    internal static DeploymentResponse ToResponse(DeploymentRecord deployment, string project, ReleaseRecord? release) =>
        new(
            deployment.Id,
            project,
            deployment.Service,
            deployment.Environment,
            release?.Version ?? "",
            release?.CommitSha ?? "",
            EnvironmentDeployments.Name(deployment.Status),
            deployment.Reason,
            deployment.RunId,
            deployment.JobKey,
            deployment.CreatedAt,
            deployment.StartedAt,
            deployment.FinishedAt,
            deployment.RulesSha,
            deployment.RulesTightened);
}
