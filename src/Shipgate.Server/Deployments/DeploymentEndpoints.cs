using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shipgate.Delivery.Edge;
using Shipgate.Server.Api;
using Shipgate.Server.Auth;
using Shipgate.Server.Hosting;
using Shipgate.Storage.Deployments;
using Shipgate.Storage.Projects;

namespace Shipgate.Server.Deployments;

/// <summary>
/// <c>GET /api/v1/deployments?project=P[&amp;environment=E][&amp;limit=N]</c>: a project's deployments, newest first, with
/// their steps and metrics; <c>POST /api/v1/deployments/rollback</c> (approvers): an earlier release back;
/// <c>GET /api/v1/deployments/logs?service=S&amp;environment=E[&amp;version=V][&amp;tail=N][&amp;follow=true]</c>:
/// the instances' output through the edge, as text lines.
/// </summary>
internal static class DeploymentEndpoints
{
    /// <summary>The most log lines one request asks the edge for.</summary>
    private const int MaxTail = 10_000;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/deployments", ListAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Deployments").Produces<DeploymentResponse[]>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/deployments/rollback", RollbackAsync)
            .RequireAuthorization(ApiPolicies.Approver)
            .WithTags("Deployments")
            .Produces<DeploymentResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/deployments/logs", LogsAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Deployments");
    }

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
        var responses = new List<DeploymentResponse>();
        foreach (var deployment in deployments)
        {
            responses.Add(await DescribeAsync(store, deployment, record.Name, cancellationToken).ConfigureAwait(false));
        }

        return TypedResults.Ok(responses.ToArray());
    }

    private static async Task<IResult> RollbackAsync(RollbackRequest? request, ClaimsPrincipal principal, ServerStore store, ServiceDeployments deployments, CancellationToken cancellationToken)
    {
        if (request is not { Service.Length: > 0, Environment.Length: > 0 })
        {
            return Problems.BadRequest("A rollback names the service and the environment.");
        }

        ProjectRecord? project;
        if (!string.IsNullOrWhiteSpace(request.Project))
        {
            project = await store.Store.Projects.GetByNameAsync(request.Project, cancellationToken).ConfigureAwait(false);
            if (project is null)
            {
                return Problems.NotFound($"There is no project '{request.Project}'.");
            }
        }
        else
        {
            // Without a project: the one project that deploys the service to the environment.
            var owners = new List<ProjectRecord>();
            foreach (var candidate in await store.Store.Projects.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                if ((await store.Store.Deployments.ListCurrentReleasesAsync(candidate.Id, cancellationToken).ConfigureAwait(false))
                    .Any(r => r.Service == request.Service && string.Equals(r.Environment, request.Environment, StringComparison.OrdinalIgnoreCase)))
                {
                    owners.Add(candidate);
                }
            }

            if (owners.Count > 1)
            {
                return Problems.BadRequest($"Several projects deploy {request.Service} to {request.Environment} ({string.Join(", ", owners.Select(o => o.Name))}); name one with --project.");
            }

            project = owners.SingleOrDefault();
            if (project is null)
            {
                return Problems.NotFound($"No project has deployed {request.Service} to {request.Environment}.");
            }
        }

        var caller = Caller.From(principal)!;
        var (deployment, status, refusal) = await deployments.RollbackAsync(project.Id, request.Service, request.Environment, NullIfEmpty(request.To), NullIfEmpty(request.Reason), caller.Name, cancellationToken).ConfigureAwait(false);
        if (deployment is null)
        {
            return status == StatusCodes.Status404NotFound ? Problems.NotFound(refusal!) : Problems.Conflict(refusal!);
        }

        var response = await DescribeAsync(store, deployment, project.Name, cancellationToken).ConfigureAwait(false);
        return status == StatusCodes.Status200OK ? TypedResults.Ok(response) : Problems.Conflict(refusal!);
    }

    private static async Task LogsAsync(HttpContext context, ServerStore store, string? project, string? service, string? environment, string? version, int? tail, bool? follow, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(service) || string.IsNullOrWhiteSpace(environment))
        {
            await Problems.Write(context, StatusCodes.Status400BadRequest, "Bad request", "Reading logs needs ?service= and ?environment=.").ConfigureAwait(false);
            return;
        }

        if (!string.IsNullOrWhiteSpace(project) && await store.Store.Projects.GetByNameAsync(project, cancellationToken).ConfigureAwait(false) is null)
        {
            await Problems.Write(context, StatusCodes.Status404NotFound, "Not found", $"There is no project '{project}'.").ConfigureAwait(false);
            return;
        }

        if (context.RequestServices.GetService<IEdgeClient>() is not { } edge)
        {
            await Problems.Write(context, StatusCodes.Status409Conflict, "Conflict", DeploymentConfiguration.NoEdge("Reading a service's logs")).ConfigureAwait(false);
            return;
        }

        await using var lines = edge.ReadLogsAsync(environment, service, NullIfEmpty(version), Math.Clamp(tail ?? 100, 0, MaxTail), follow ?? false, cancellationToken).GetAsyncEnumerator(cancellationToken);
        bool more;
        try
        {
            more = await lines.MoveNextAsync().ConfigureAwait(false);
        }
        catch (EdgeApiException ex)
        {
            await Problems.Write(context, ex.StatusCode == 404 ? 404 : 409, ex.StatusCode == 404 ? "Not found" : "Conflict", ex.Message).ConfigureAwait(false);
            return;
        }
        catch (EdgeUnavailableException ex)
        {
            await Problems.Write(context, StatusCodes.Status503ServiceUnavailable, "Edge unavailable", ex.Message).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        try
        {
            while (more)
            {
                await context.Response.WriteAsync(lines.Current + "\n", cancellationToken).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                more = await lines.MoveNextAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away while following.
        }
        catch (Exception ex) when (ex is EdgeApiException or EdgeUnavailableException)
        {
            await context.Response.WriteAsync($"The edge stopped sending the log: {ex.Message}\n", CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The API's view of a deployment of <paramref name="project"/>, with its release, steps and metrics.</summary>
    internal static async Task<DeploymentResponse> DescribeAsync(ServerStore store, DeploymentRecord deployment, string project, CancellationToken cancellationToken)
    {
        var deployments = store.Store.Deployments;
        var release = await deployments.GetReleaseAsync(deployment.ReleaseId, cancellationToken).ConfigureAwait(false);
        var previous = deployment.PreviousReleaseId is { } id ? await deployments.GetReleaseAsync(id, cancellationToken).ConfigureAwait(false) : null;
        var steps = await deployments.ListDeploymentStepsAsync(deployment.Id, cancellationToken).ConfigureAwait(false);
        var snapshots = await deployments.ListMetricSnapshotsAsync(deployment.Id, cancellationToken).ConfigureAwait(false);
        var decisions = (await deployments.ListGateDecisionsForDeploymentAsync(deployment.Id, cancellationToken).ConfigureAwait(false))
            .Where(d => d.Gate == DeploymentControl.AnalysisGate && d.NumbersJson is not null)
            .Select(d => JsonSerializer.Deserialize(d.NumbersJson!, ApiJsonContext.Default.AnalysisDecision))
            .OfType<Delivery.Analysis.AnalysisDecision>();
        return ToResponse(deployment, project, release) with
        {
            ArtifactDigest = release?.ArtifactDigest ?? "",
            Strategy = deployment.Strategy,
            PreviousVersion = previous?.Version,
            KeepPreviousUntil = deployment.KeepPreviousUntil,
            Steps = [.. steps.Select(s => new DeploymentStepResponse(s.Name, s.StartedAt, s.FinishedAt, s.Outcome, s.Message))],
            Metrics = [.. snapshots.Select(Metrics)],
            DecidedBy = deployment.DecidedBy,
            Progress = deployment.ProgressJson is { } progress ? JsonSerializer.Deserialize(progress, ApiJsonContext.Default.CanaryProgress) : null,
            Decisions = [.. decisions],
        };
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
            deployment.RulesTightened)
        {
            DecidedBy = deployment.DecidedBy,
        };

    private static DeploymentMetricsResponse Metrics(MetricSnapshotRecord snapshot)
    {
        var counts = JsonSerializer.Deserialize(snapshot.CountsJson, EdgeJsonContext.Default.EdgeReleaseMetrics);
        return new DeploymentMetricsResponse(
            snapshot.Version,
            counts?.Requests ?? 0,
            counts?.Status2xx ?? 0,
            counts?.Status4xx ?? 0,
            counts?.Status5xx ?? 0,
            counts?.TransportErrors ?? 0,
            counts?.Timeouts ?? 0,
            snapshot.WindowEnd);
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
