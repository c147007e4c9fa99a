using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shipgate.Engine.Runs;
using Shipgate.Server.Api;
using Shipgate.Server.Auth;
using Shipgate.Server.Flags;
using Shipgate.Server.Git;
using Shipgate.Server.Hosting;
using Shipgate.Server.Projects;
using Shipgate.Server.Workflows;
using Shipgate.Storage.Runs;

namespace Shipgate.Server.Runs;

/// <summary><c>/api/v1/runs</c> (list, show, cancel, events and logs as server-sent events) and dispatching a workflow.</summary>
internal static class RunEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/runs", ListAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Runs").Produces<RunResponse[]>();
        api.MapGet("/runs/{id:long}", GetAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Runs").Produces<RunDetailResponse>();
        api.MapPost("/runs/{id:long}/cancel", CancelAsync).RequireAuthorization(ApiPolicies.Developer).WithTags("Runs");
        api.MapGet("/runs/{id:long}/events", StreamEventsAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Runs")
            .Produces(StatusCodes.Status200OK, typeof(string), "text/event-stream")
            .WithSummary("The run's events as server-sent events (text/event-stream): replays after Last-Event-ID, then follows until the run completes.");
        api.MapGet("/runs/{id:long}/logs", StreamLogsAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Runs")
            .Produces(StatusCodes.Status200OK, typeof(string), "text/event-stream")
            .WithSummary("The lines the run's steps printed (from their log files) as server-sent events ('step', 'output', then 'end'); ids are SEQUENCE:OFFSET for Last-Event-ID; ?job= filters, ?follow=false stops at what is written.");
        api.MapPost("/projects/{name}/dispatches", DispatchAsync).RequireAuthorization(ApiPolicies.Developer).WithTags("Runs").Produces<DispatchResponse>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> ListAsync(ServerStore store, string? project, string? status, long? before, int? limit, CancellationToken cancellationToken)
    {
        var projects = (await store.Store.Projects.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Id, p => p.Name);
        long? projectId = null;
        if (project is not null)
        {
            var match = projects.Where(p => string.Equals(p.Value, project, StringComparison.Ordinal)).Select(p => (long?)p.Key).FirstOrDefault();
            if (match is null)
            {
                return Problems.NotFound($"There is no project '{project}'.");
            }

            projectId = match;
        }

        if (!RunMapping.TryParseStatus(status, out var runStatus))
        {
            return Problems.BadRequest($"status '{status}' is not one of queued, in_progress, waiting, completed.");
        }

        if (limit is < 1 or > 1000)
        {
            return Problems.BadRequest("limit must be between 1 and 1000.");
        }

        var runs = await store.Store.Runs.ListRunsAsync(new RunQuery { ProjectId = projectId, Status = runStatus, BeforeId = before, Limit = limit ?? 50 }, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(runs.Select(r => RunMapping.ToResponse(r, projects.GetValueOrDefault(r.ProjectId, "?"))).ToArray());
    }

    private static async Task<IResult> GetAsync(long id, ServerStore store, CancellationToken cancellationToken)
    {
        var runs = store.Store.Runs;
        var run = await runs.GetRunAsync(id, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return Problems.NotFound($"There is no run {id}.");
        }

        var project = await store.Store.Projects.GetAsync(run.ProjectId, cancellationToken).ConfigureAwait(false);
        var jobs = new List<JobResponse>();
        foreach (var job in await runs.ListJobsAsync(id, cancellationToken).ConfigureAwait(false))
        {
            jobs.Add(RunMapping.ToResponse(job, await runs.ListStepsAsync(job.Id, cancellationToken).ConfigureAwait(false)));
        }

        return TypedResults.Ok(new RunDetailResponse(RunMapping.ToResponse(run, project?.Name ?? "?"), jobs));
    }

    private static async Task<IResult> CancelAsync(long id, ClaimsPrincipal principal, ServerStore store, RunScheduler scheduler, RunEventHub hub, CancellationToken cancellationToken)
    {
        var caller = Caller.From(principal)!;
        var runs = store.Store.Runs;
        var run = await runs.GetRunAsync(id, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return Problems.NotFound($"There is no run {id}.");
        }

        var reason = $"Cancelled by {caller.Name}.";
        if (scheduler.TryCancel(id, reason))
        {
            return TypedResults.Accepted($"/api/v1/runs/{id}");
        }

        if (run.Status == RunStatus.Queued && await runs.TryCompleteRunAsync(id, RunStatus.Queued, Conclusion.Cancelled, reason, cancellationToken).ConfigureAwait(false))
        {
            hub.Notify(id);
            return TypedResults.Accepted($"/api/v1/runs/{id}");
        }

        return run.Status == RunStatus.Completed
            ? Problems.Conflict($"Run {id} has completed already.")
            : Problems.Conflict($"Run {id} is executed by another server; cancel it there.");
    }

    private static async Task StreamEventsAsync(long id, HttpContext context, RunStreamer streamer, ServerStore store, bool? follow, CancellationToken cancellationToken)
    {
        if (await store.Store.Runs.GetRunAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            await Problems.Write(context, StatusCodes.Status404NotFound, "Not found", $"There is no run {id}.").ConfigureAwait(false);
            return;
        }

        await streamer.StreamAsync(context, id, RunStreamer.ResumeAfter(context.Request), follow ?? true, RunStreamer.WriteEvent, cancellationToken).ConfigureAwait(false);
    }

    private static async Task StreamLogsAsync(long id, HttpContext context, LogStreamer streamer, ServerStore store, string? job, bool? follow, CancellationToken cancellationToken)
    {
        if (await store.Store.Runs.GetRunAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            await Problems.Write(context, StatusCodes.Status404NotFound, "Not found", $"There is no run {id}.").ConfigureAwait(false);
            return;
        }

        await streamer.StreamAsync(context, id, job, follow ?? true, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IResult> DispatchAsync(
        string name,
        DispatchRequest request,
        ClaimsPrincipal principal,
        ServerStore store,
        ProjectRepositories repositories,
        FlagFileSync flags,
        WorkflowCatalog catalog,
        RunLauncher launcher,
        CancellationToken cancellationToken)
    {
        var caller = Caller.From(principal)!;
        var project = await store.Store.Projects.GetByNameAsync(name, cancellationToken).ConfigureAwait(false);
        if (project is null)
        {
            return Problems.NotFound($"There is no project '{name}'.");
        }

        if (string.IsNullOrWhiteSpace(request.Workflow))
        {
            return Problems.Invalid("Name the workflow to run (its file name, e.g. deploy.yml).");
        }

        if (await repositories.RefreshAsync(project, cancellationToken).ConfigureAwait(false) is { } fetchError)
        {
            return Problems.Result(StatusCodes.Status502BadGateway, "Repository unavailable", fetchError);
        }

        // The fetch may have moved the protected branch: its flags take effect now, not at the next webhook.
        await flags.ApplyHeadAsync(project, cancellationToken).ConfigureAwait(false);

        var repository = repositories.For(project);
        var gitRef = request.Ref ?? "refs/heads/" + project.DefaultBranch;
        string? sha = null;
        if (GitRefName.IsFullSha(gitRef))
        {
            // A commit runs as its project's branch, so only a commit on that branch (a rollback, a re-run).
            (sha, gitRef) = (gitRef.ToLowerInvariant(), "refs/heads/" + project.DefaultBranch);
            if (await repository.ResolveCommitAsync(sha, cancellationToken).ConfigureAwait(false) is null
                || !await repository.IsAncestorAsync(sha, gitRef, cancellationToken).ConfigureAwait(false))
            {
                return Problems.Invalid($"The commit {sha} is not on the branch '{project.DefaultBranch}' of '{name}'; dispatch a branch or a tag, or a commit of that branch.");
            }
        }
        else if (!GitRefName.IsValid(gitRef))
        {
            return Problems.Invalid(
                $"'{request.Ref}' is not a branch, a tag or a full commit SHA: revision syntax (~, ^, @{{...}}, .., :/) is not accepted, name the branch, the tag or the 40-character SHA.");
        }

        foreach (var candidate in sha is not null ? [] : gitRef.StartsWith("refs/", StringComparison.Ordinal) ? [gitRef] : new[] { "refs/heads/" + gitRef, "refs/tags/" + gitRef })
        {
            if (await repository.ResolveCommitAsync(candidate, cancellationToken).ConfigureAwait(false) is { } resolved)
            {
                (gitRef, sha) = (candidate, resolved);
                break;
            }
        }

        if (sha is null)
        {
            return Problems.Invalid($"The repository of '{name}' has no branch or tag '{request.Ref}'.");
        }

        var workflows = await catalog.LoadAsync(repository, sha, cancellationToken).ConfigureAwait(false);
        var workflow = WorkflowCatalog.Find(workflows, request.Workflow);
        if (workflow is null)
        {
            return Problems.NotFound($"There is no workflow '{request.Workflow}' at {gitRef}; there are: {(workflows.Count == 0 ? "none" : string.Join(", ", workflows.Select(w => w.Path)))}.");
        }

        if (workflow.Definition is not { } definition)
        {
            return Problems.Invalid(workflow.FirstError ?? $"{workflow.Path} is not a valid workflow.");
        }

        if (definition.On.WorkflowDispatch is not { } dispatch)
        {
            return Problems.Invalid($"{workflow.Path} has no workflow_dispatch trigger, so it cannot be dispatched.");
        }

        var inputs = request.Inputs ?? new Dictionary<string, string>();
        if (inputs.Keys.FirstOrDefault(k => !dispatch.Inputs.Any(i => string.Equals(i.Name, k, StringComparison.OrdinalIgnoreCase))) is { } unknown)
        {
            return Problems.Invalid($"{workflow.Path} has no input '{unknown}'; its inputs are: {(dispatch.Inputs.Count == 0 ? "none" : string.Join(", ", dispatch.Inputs.Select(i => i.Name)))}.");
        }

        if (dispatch.Inputs.FirstOrDefault(i => i.Required && i.Default is null && !inputs.Keys.Contains(i.Name, StringComparer.OrdinalIgnoreCase)) is { } missing)
        {
            return Problems.Invalid($"The input '{missing.Name}' of {workflow.Path} is required; pass --input {missing.Name}=VALUE.");
        }

        var run = await launcher.QueueAsync(project, workflow, "workflow_dispatch", gitRef, sha, caller.Name, caller.Name, inputs, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/v1/runs/{run.Id}", new DispatchResponse(RunMapping.ToResponse(run, project.Name)));
    }
}
