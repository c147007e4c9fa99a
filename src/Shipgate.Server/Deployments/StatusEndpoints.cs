using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shipgate.Server.Api;
using Shipgate.Server.Auth;
using Shipgate.Server.Hosting;

namespace Shipgate.Server.Deployments;

/// <summary><c>GET /api/v1/status</c>: each environment's current release per service, across projects.</summary>
internal static class StatusEndpoints
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/status", GetAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Deployments");

    private static async Task<EnvironmentStatusResponse[]> GetAsync(ServerStore store, CancellationToken cancellationToken)
    {
        var status = new List<EnvironmentStatusResponse>();
        foreach (var project in await store.Store.Projects.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var current in await store.Store.Deployments.ListCurrentReleasesAsync(project.Id, cancellationToken).ConfigureAwait(false))
            {
                status.Add(new EnvironmentStatusResponse(
                    project.Name,
                    current.Environment,
                    current.Service,
                    current.Release.Version,
                    current.Release.ArtifactDigest,
                    current.Release.CommitSha,
                    current.DeploymentId,
                    current.DeployedAt));
            }
        }

        return [.. status];
    }
}
