using Shipgate.Engine.Actions;
using Shipgate.Storage.Approvals;
using Shipgate.Storage.Runs;

namespace Shipgate.Server.Approvals;

/// <summary>
/// Answers <c>trstringer/manual-approval</c> steps of a server run with a durable approval: recorded in
/// the store, decided through the API (<c>shipgate approve|reject</c>), the step waiting meanwhile. The approval
/// carries the environment of the step's job, so an approver scoped to other environments cannot decide it.
/// </summary>
internal sealed class ServerApprovalGate(ApprovalService approvals, RunStore runs, RunRecord run) : IApprovalGate
{
    public async Task<Engine.Actions.ApprovalDecision> RequestAsync(ApprovalRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var environment = (await runs.ListJobsAsync(run.Id, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(j => j.JobId == request.JobId && j.Environment is not null)?.Environment;
        var record = await approvals.RequestAsync(
            new NewApproval
            {
                RunId = run.Id,
                RunAttempt = run.Attempt,
                ProjectId = run.ProjectId,
                Kind = ApprovalKind.ManualApproval,
                JobKey = request.JobId,
                Environment = environment,
                Title = request.Title,
                Body = request.Body,
                Reviewers = request.Approvers,
                Required = Math.Max(1, request.MinimumApprovals),
                PreventSelfReview = request.ExcludeInitiator,
                Initiator = run.Initiator,
            },
            cancellationToken).ConfigureAwait(false);
        var decided = await approvals.WaitAsync(record.Id, cancellationToken).ConfigureAwait(false);
        return decided.Status switch
        {
            ApprovalStatus.Approved => new Engine.Actions.ApprovalDecision(true, [], $"Approval {decided.Id} was approved."),
            ApprovalStatus.Rejected => new Engine.Actions.ApprovalDecision(false, [], $"Approval {decided.Id} was rejected."),
            ApprovalStatus.Cancelled => new Engine.Actions.ApprovalDecision(false, [], $"Approval {decided.Id} ended with its run (cancelled)."),
            _ => new Engine.Actions.ApprovalDecision(false, [], $"Approval {decided.Id} expired before it was decided."),
        };
    }
}
