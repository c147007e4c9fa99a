using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shipgate.Delivery.Configuration;
using Shipgate.Delivery.Gates;
using Shipgate.Server.Api;
using Shipgate.Server.Auth;
using Shipgate.Server.Deployments;
using Shipgate.Server.Hosting;
using Shipgate.Server.Projects;
using Shipgate.Storage.Deployments;

namespace Shipgate.Server.Environments;

/// <summary>
/// <c>GET /api/v1/projects/{name}/environments</c>: each environment <c>shipgate.yml</c> declares at the head of
/// the project's branch, with its rules, secret and variable names, current releases and deployments in progress;
/// then the environments only deployments or secrets name (<c>declared: false</c>).
/// </summary>
internal static class EnvironmentEndpoints
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/projects/{name}/environments", ListAsync)
            .RequireAuthorization(ApiPolicies.Viewer)
            .WithTags("Environments")
            .Produces<ProjectEnvironmentsResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    private static async Task<IResult> ListAsync(string name, ServerStore store, ProjectRepositories repositories, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await store.Store.Projects.GetByNameAsync(name, cancellationToken).ConfigureAwait(false) is not { } project)
        {
            return Problems.NotFound($"There is no project '{name}'.");
        }

        var (head, config) = await repositories.LoadHeadConfigAsync(project, cancellationToken).ConfigureAwait(false);
        if (config.HasErrors)
        {
            return Problems.Invalid($"{ShipgateConfig.FileName} at the head of {project.DefaultBranch} is not valid: {config.Errors.First()}");
        }

        var deployments = store.Store.Deployments;
        var secrets = await store.Store.Secrets.ListSecretsAsync(project.Id, cancellationToken).ConfigureAwait(false);
        var variables = await store.Store.Secrets.ListVariablesAsync(project.Id, cancellationToken).ConfigureAwait(false);
        var releases = await deployments.ListCurrentReleasesAsync(project.Id, cancellationToken).ConfigureAwait(false);
        var unfinished = await deployments.ListUnfinishedDeploymentsAsync(project.Id, cancellationToken).ConfigureAwait(false);

        var now = time.GetUtcNow();
        var declared = config.Config!.Environments;
        var undeclared = secrets.Select(s => s.Environment).Concat(variables.Select(v => v.Environment))
            .Concat(releases.Select(r => r.Environment))
            .Concat(unfinished.Select(d => d.Environment))
            .OfType<string>()
            .Where(e => config.Config.FindEnvironment(e) is null)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal);
        var environments = new List<EnvironmentResponse>();
        foreach (var environmentName in declared.Select(e => e.Name).Concat(undeclared))
        {
            bool Here(string? environment) => string.Equals(environment, environmentName, StringComparison.OrdinalIgnoreCase);
            var definition = config.Config.FindEnvironment(environmentName);
            var active = new List<DeploymentResponse>();
            foreach (var deployment in unfinished.Where(d => Here(d.Environment) && d.Status is DeploymentStatus.Progressing or DeploymentStatus.Paused))
            {
                var release = await deployments.GetReleaseAsync(deployment.ReleaseId, cancellationToken).ConfigureAwait(false);
                active.Add(DeploymentEndpoints.ToResponse(deployment, project.Name, release));
            }

            environments.Add(new EnvironmentResponse(
                environmentName,
                Declared: definition is not null,
                definition is null ? null : definition.Mode == EnvironmentMode.Delivery ? "delivery" : "deployment",
                definition?.Branches?.Select(b => b.Text).ToArray(),
                definition?.Approval is { } approval ? Approval(approval) : null,
                definition?.WaitTimer is { } wait ? DurationText.Format(wait) : null,
                definition?.Freeze.Select(w => Freeze(w, now)).ToArray() ?? [],
                definition is null ? null : FreezeCalendar.Find(definition.Freeze, now)?.End,
                [.. secrets.Where(s => Here(s.Environment)).Select(s => s.Name).Order(StringComparer.Ordinal)],
                [.. variables.Where(v => Here(v.Environment)).Select(v => v.Name).Order(StringComparer.Ordinal)],
                [.. releases.Where(r => Here(r.Environment)).Select(r => StatusEndpoints.ToResponse(project.Name, r))],
                [.. active],
                unfinished.Count(d => Here(d.Environment) && d.Status is DeploymentStatus.Pending or DeploymentStatus.Waiting)));
        }

        return TypedResults.Ok(new ProjectEnvironmentsResponse(project.Name, project.DefaultBranch, head, [.. environments]));
    }

    private static EnvironmentApprovalResponse Approval(ApprovalDefinition approval) =>
        new(
            [.. approval.Reviewers.Select(r => r.ToString())],
            approval.Required,
            approval.PreventSelfReview,
            approval.ExpiresAfter is { } after ? DurationText.Format(after) : null,
            approval.OnExpiry == ApprovalExpiryAction.KeepWaiting ? "keep-waiting" : "reject");

    private static FreezeWindowResponse Freeze(FreezeWindow window, DateTimeOffset now) =>
        new(window.Cron.Text, DurationText.Format(window.Duration), window.TimeZone.Id, FreezeCalendar.Find([window], now)?.End);
}
