using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shipgate.Server.Api;
using Shipgate.Server.Auth;
using Shipgate.Server.Hosting;
using Shipgate.Storage.Audit;
using Shipgate.Storage.Deployments;

namespace Shipgate.Server.Deployments;

/// <summary>
/// One deployment, and the verbs on a running one: <c>GET /api/v1/deployments/{id}</c> (viewers),
/// <c>GET /api/v1/deployments/running</c> (viewers: every project's active deployments),
/// <c>POST /api/v1/deployments/{id}/promote|abort|pause|resume|retry</c> (approvers of the deployment's environment).
/// A verb is recorded in the store and audited, and the rollout running it takes it at once (woken in process) or at
/// its next look; a verb that cannot act (a finished deployment, a state it does not fit, the same verb waiting) is a
/// 409 with one sentence, and changes nothing.
/// </summary>
internal static class DeploymentVerbEndpoints
{

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/deployments/running", RunningAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Deployments").Produces<DeploymentResponse[]>();
        api.MapGet("/deployments/{id:long}", GetAsync)
            .RequireAuthorization(ApiPolicies.Viewer)
            .WithTags("Deployments")
            .Produces<DeploymentResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/deployments/{id:long}/{verb}", VerbAsync)
            .RequireAuthorization(ApiPolicies.Approver)
            .WithTags("Deployments")
            .Produces<DeploymentResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> GetAsync(long id, ServerStore store, CancellationToken cancellationToken) =>
        await FindAsync(store, id, cancellationToken).ConfigureAwait(false) is ({ } deployment, { } project)
            ? TypedResults.Ok(await DeploymentEndpoints.DescribeAsync(store, deployment, project, cancellationToken).ConfigureAwait(false))
            : Problems.NotFound($"There is no deployment {id}.");

    private static async Task<IResult> RunningAsync(ServerStore store, CancellationToken cancellationToken)
    {
        var running = new List<DeploymentResponse>();
        foreach (var project in await store.Store.Projects.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var deployment in (await store.Store.Deployments.ListUnfinishedDeploymentsAsync(project.Id, cancellationToken).ConfigureAwait(false))
                .Where(d => d.Status is DeploymentStatus.Progressing or DeploymentStatus.Paused && Delivery.Configuration.RolloutStrategy.Names.Contains(d.Strategy)))
            {
                running.Add(await DeploymentEndpoints.DescribeAsync(store, deployment, project.Name, cancellationToken).ConfigureAwait(false));
            }
        }

        return TypedResults.Ok(running.ToArray());
    }

    private static async Task<IResult> VerbAsync(
        long id,
        string verb,
        DeploymentVerbRequest? request,
        ClaimsPrincipal principal,
        ServerStore store,
        RolloutSignals signals,
        ServiceDeployments services,
        CancellationToken cancellationToken)
    {
        if (verb is not ("promote" or "abort" or "pause" or "resume" or "retry"))
        {
            return Problems.NotFound($"There is no deployment verb '{verb}'; use promote, abort, pause, resume or retry.");
        }

        if (await FindAsync(store, id, cancellationToken).ConfigureAwait(false) is not ({ } deployment, { } project))
        {
            return Problems.NotFound($"There is no deployment {id}.");
        }

        var caller = Caller.From(principal)!;
        if (!caller.CanApproveIn(deployment.Environment))
        {
            return Problems.Forbidden($"{caller.Name} may not {verb} deployments in {deployment.Environment}: only its approvers and admins may.");
        }

        if (verb == "retry")
        {
            var (retried, refusal) = await services.RetryAsync(deployment, caller.Name, request?.Reason, cancellationToken).ConfigureAwait(false);
            return retried is null
                ? Problems.Conflict(refusal!)
                : TypedResults.Accepted(
                    $"/api/v1/deployments/{retried.Id}", await DeploymentEndpoints.DescribeAsync(store, retried, project, cancellationToken).ConfigureAwait(false));
        }

        var command = verb == "promote" && request?.Full == true ? "promote-full" : verb;
        if (Refusal(deployment, command) is { } refused)
        {
            return Problems.Conflict(refused);
        }

        var audit = new NewAuditEntry
        {
            Actor = caller.Name,
            Action = "deployment." + command,
            Target = EnvironmentDeployments.Target(deployment),
            Reason = request?.Reason is { Length: > 0 } reason
                ? reason
                : $"{caller.Name} gives {command} to deployment {deployment.Id} of {deployment.Service} in {deployment.Environment}.",
        };
        switch (await store.Store.Deployments.GiveCommandAsync(deployment.Id, command, caller.Name, audit, cancellationToken).ConfigureAwait(false))
        {
            case CommandOutcome.Duplicate:
                return Problems.Conflict($"A {command} of deployment {deployment.Id} waits already and acts at the rollout's next look; it is not given twice.");
            case CommandOutcome.NotActive:
                return Problems.Conflict($"Deployment {deployment.Id} ended while the {command} was given; nothing changed.");
        }

        signals.Signal(deployment.Id);
        var response = await DeploymentEndpoints.DescribeAsync(store, deployment, project, cancellationToken).ConfigureAwait(false);
        return TypedResults.Accepted($"/api/v1/deployments/{deployment.Id}", response);
    }

    /// <summary>Why <paramref name="command"/> cannot act on the deployment as it stands; null when it can.</summary>
    private static string? Refusal(DeploymentRecord deployment, string command)
    {
        if (deployment.Status is not (DeploymentStatus.Progressing or DeploymentStatus.Paused))
        {
            return $"Deployment {deployment.Id} is {EnvironmentDeployments.Name(deployment.Status)}; only a running deployment takes {command}.";
        }

        if (!Delivery.Configuration.RolloutStrategy.Names.Contains(deployment.Strategy))
        {
            return $"Deployment {deployment.Id} is a job's entry into {deployment.Environment} ({deployment.Strategy}), not a rollout; "
                + $"{command} acts on the deployment its shipgate/deploy step runs.";
        }

        if (command == "abort")
        {
            return null;
        }

        if (deployment.Strategy is not ("canary" or "shadow" or "flag"))
        {
            return $"Deployment {deployment.Id} deploys by {deployment.Strategy}, which has no steps to {command}; abort it, or roll it back.";
        }

        var progress = deployment.ProgressJson is { } json ? JsonSerializer.Deserialize(json, ApiJsonContext.Default.CanaryProgress) : null;
        var held = progress?.WaitingFor?.StartsWith("resume", StringComparison.Ordinal) == true;
        return command switch
        {
            "pause" when held => $"Deployment {deployment.Id} is paused already ({progress!.WaitingFor}).",
            "resume" when !held => $"Deployment {deployment.Id} is not paused; there is nothing to resume.",
            "promote" when progress is null || (progress.WaitingFor is null && progress.StepKind is not ("pause" or "analysis" or "mirror")) =>
                $"Deployment {deployment.Id} waits for nothing a promote ends (step {progress?.Step ?? 0} of {progress?.Steps ?? 0}: {progress?.StepKind ?? "start"}); "
                + "'promote --full' skips the remaining steps.",
            "promote" when progress.StepKind == "approval" && progress.WaitingFor is null =>
                $"Deployment {deployment.Id} waits for the approval of step {progress.Step}: its reviewers approve it with 'shipgate approve'.",
            _ => null,
        };
    }

    private static async Task<(DeploymentRecord?, string?)> FindAsync(ServerStore store, long id, CancellationToken cancellationToken)
    {
        if (await store.Store.Deployments.GetDeploymentAsync(id, cancellationToken).ConfigureAwait(false) is not { } deployment)
        {
            return (null, null);
        }

        return (deployment, (await store.Store.Projects.GetAsync(deployment.ProjectId, cancellationToken).ConfigureAwait(false))?.Name);
    }
}
