namespace Shipgate.Server.Api;

/// <summary>
/// Where releases wait for people: the time from an approval's request to its decision for the approvals decided in the
/// period, overall, per project and environment and per reviewer, and what waits now.
/// </summary>
public sealed record ApprovalInsightsResponse(
    ApprovalWaitResponse Overall,
    IReadOnlyList<ApprovalWaitResponse> Environments,
    IReadOnlyList<ReviewerWaitResponse> Reviewers);
