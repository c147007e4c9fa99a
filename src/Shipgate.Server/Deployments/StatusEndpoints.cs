using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shipgate.Server.Api;
using Shipgate.Server.Auth;
using Shipgate.Server.Hosting;
using Shipgate.Storage.Deployments;

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
                status.Add(ToResponse(project.Name, current));
            }
        }

        return [.. status];
    }

    /// <summary>The API's view of the release <paramref name="current"/> a service of <paramref name="project"/> runs in an environment.</summary>
    internal static EnvironmentStatusResponse ToResponse(string project, CurrentRelease current) =>
        new(
            project,
            current.Environment,
            current.Service,
            current.Release.Version,
            current.Release.ArtifactDigest,
            current.Release.CommitSha,
            current.DeploymentId,
            current.DeployedAt);
}
