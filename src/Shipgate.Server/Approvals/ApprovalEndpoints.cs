using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shipgate.Delivery.Approvals;
using Shipgate.Server.Api;
using Shipgate.Server.Auth;
using Shipgate.Server.Hosting;
using Shipgate.Storage.Approvals;

namespace Shipgate.Server.Approvals;

/// <summary><c>/api/v1/approvals</c>: the approvals runs wait on, and reviewers' decisions.</summary>
internal static class ApprovalEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/approvals", ListAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Approvals").Produces<ApprovalResponse[]>();
        api.MapGet("/approvals/{id:long}", GetAsync).RequireAuthorization(ApiPolicies.Viewer).WithTags("Approvals").Produces<ApprovalResponse>();
        api.MapPost("/approvals/{id:long}/approve", (long id, ApprovalDecisionRequest? request, ClaimsPrincipal principal, ApprovalService approvals, ServerStore store, CancellationToken cancellationToken) =>
            DecideAsync(id, ReviewVerdict.Approve, request, principal, approvals, store, cancellationToken)).RequireAuthorization(ApiPolicies.Approver).WithTags("Approvals").Produces<ApprovalDecidedResponse>().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/approvals/{id:long}/reject", (long id, ApprovalDecisionRequest? request, ClaimsPrincipal principal, ApprovalService approvals, ServerStore store, CancellationToken cancellationToken) =>
            DecideAsync(id, ReviewVerdict.Reject, request, principal, approvals, store, cancellationToken)).RequireAuthorization(ApiPolicies.Approver).WithTags("Approvals").Produces<ApprovalDecidedResponse>().ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> ListAsync(ServerStore store, string? status, string? project, CancellationToken cancellationToken)
    {
        Storage.Approvals.ApprovalStatus? wanted = status switch
        {
            null or "" => null,
            "pending" => Storage.Approvals.ApprovalStatus.Pending,
            "approved" => Storage.Approvals.ApprovalStatus.Approved,
            "rejected" => Storage.Approvals.ApprovalStatus.Rejected,
            "expired" => Storage.Approvals.ApprovalStatus.Expired,
            "cancelled" => Storage.Approvals.ApprovalStatus.Cancelled,
            _ => (Storage.Approvals.ApprovalStatus)(-1),
        };
        if (wanted is { } value && !Enum.IsDefined(value))
        {
            return Problems.BadRequest($"status '{status}' is not one of pending, approved, rejected, expired, cancelled.");
        }

        var projects = (await store.Store.Projects.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Id, p => p.Name);
        long? projectId = null;
        if (project is not null)
        {
            projectId = projects.Where(p => p.Value == project).Select(p => (long?)p.Key).FirstOrDefault();
            if (projectId is null)
            {
                return Problems.NotFound($"There is no project '{project}'.");
            }
        }

        var records = await store.Store.Approvals.ListAsync(new ApprovalQuery { Status = wanted, ProjectId = projectId }, cancellationToken).ConfigureAwait(false);
        var responses = new List<ApprovalResponse>();
        foreach (var record in records)
        {
            responses.Add(await ToResponseAsync(store, record, projects.GetValueOrDefault(record.ProjectId, "?"), cancellationToken).ConfigureAwait(false));
        }

        return TypedResults.Ok(responses.ToArray());
    }

    private static async Task<IResult> GetAsync(long id, ServerStore store, CancellationToken cancellationToken)
    {
        var record = await store.Store.Approvals.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return Problems.NotFound($"There is no approval {id}.");
        }

        var project = await store.Store.Projects.GetAsync(record.ProjectId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(await ToResponseAsync(store, record, project?.Name ?? "?", cancellationToken).ConfigureAwait(false));
    }

    private static async Task<IResult> DecideAsync(long id, ReviewVerdict verdict, ApprovalDecisionRequest? request, ClaimsPrincipal principal, ApprovalService approvals, ServerStore store, CancellationToken cancellationToken)
    {
        var answer = await approvals.DecideAsync(id, Caller.From(principal)!, verdict, request?.Comment, cancellationToken).ConfigureAwait(false);
        switch (answer.Outcome)
        {
            case DecisionOutcomeKind.NotFound:
                return Problems.NotFound(answer.Message);
            case DecisionOutcomeKind.NotPermitted:
                return Problems.Forbidden(answer.Message);
            case DecisionOutcomeKind.Conflict:
                return Problems.Conflict(answer.Message);
            case DecisionOutcomeKind.Invalid:
                return Problems.BadRequest(answer.Message);
        }

        var project = await store.Store.Projects.GetAsync(answer.Approval!.ProjectId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new ApprovalDecidedResponse(answer.Message, await ToResponseAsync(store, answer.Approval, project?.Name ?? "?", cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<ApprovalResponse> ToResponseAsync(ServerStore store, ApprovalRecord record, string project, CancellationToken cancellationToken)
    {
        var decisions = await store.Store.Approvals.ListDecisionsAsync(record.Id, cancellationToken).ConfigureAwait(false);
        return new ApprovalResponse(
            record.Id,
            record.RunId,
            project,
            record.Environment,
            record.Kind == ApprovalKind.Environment ? "environment" : "manual_approval",
            record.Title,
            ApprovalService.Name(record.Status),
            record.Reviewers,
            record.Required,
            [.. decisions.Select(d => new ApprovalDecisionResponse(d.User, d.Decision == ApprovalDecision.Approved ? "approved" : "rejected", d.Comment, d.At))],
            record.RequestedAt,
            record.DecidedAt,
            record.ExpiresAt);
    }
}
