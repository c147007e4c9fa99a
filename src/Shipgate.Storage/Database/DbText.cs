using Shipgate.Engine.Runs;
using Shipgate.Storage.Approvals;
using Shipgate.Storage.Deployments;
using Shipgate.Storage.Runs;
using Shipgate.Storage.Users;

namespace Shipgate.Storage.Database;

/// <summary>
/// The text each enumeration is stored as. Written out by hand (no reflection) and checked by the
/// schema's CHECK constraints, so a renamed C# member cannot silently change stored data.
/// </summary>
internal static class DbText
{
    public static string Of(RunStatus value) => value switch
    {
        RunStatus.Queued => "queued",
        RunStatus.InProgress => "in_progress",
        RunStatus.Waiting => "waiting",
        RunStatus.Completed => "completed",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };

    public static RunStatus ToRunStatus(string text) => text switch
    {
        "queued" => RunStatus.Queued,
        "in_progress" => RunStatus.InProgress,
        "waiting" => RunStatus.Waiting,
        "completed" => RunStatus.Completed,
        _ => throw Unknown(text),
    };

    public static string Of(Conclusion value) => value switch
    {
        Conclusion.Success => "success",
        Conclusion.Failure => "failure",
        Conclusion.Cancelled => "cancelled",
        Conclusion.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };

    public static string? Of(Conclusion? value) => value is { } conclusion ? Of(conclusion) : null;

    public static Conclusion? ToConclusion(string? text) => text switch
    {
        null => null,
        "success" => Conclusion.Success,
        "failure" => Conclusion.Failure,
        "cancelled" => Conclusion.Cancelled,
        "skipped" => Conclusion.Skipped,
        _ => throw Unknown(text),
    };

    public static string Of(ApprovalKind value) => value switch
    {
        ApprovalKind.Environment => "environment",
        ApprovalKind.ManualApproval => "manual-approval",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };

    public static ApprovalKind ToApprovalKind(string text) => text switch
    {
        "environment" => ApprovalKind.Environment,
        "manual-approval" => ApprovalKind.ManualApproval,
        _ => throw Unknown(text),
    };

    public static string Of(ApprovalStatus value) => value switch
    {
        ApprovalStatus.Pending => "pending",
        ApprovalStatus.Approved => "approved",
        ApprovalStatus.Rejected => "rejected",
        ApprovalStatus.Expired => "expired",
        ApprovalStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };

    public static ApprovalStatus ToApprovalStatus(string text) => text switch
    {
        "pending" => ApprovalStatus.Pending,
        "approved" => ApprovalStatus.Approved,
        "rejected" => ApprovalStatus.Rejected,
        "expired" => ApprovalStatus.Expired,
        "cancelled" => ApprovalStatus.Cancelled,
        _ => throw Unknown(text),
    };

    public static string Of(ApprovalDecision value) => value switch
    {
        ApprovalDecision.Approved => "approved",
        ApprovalDecision.Rejected => "rejected",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };

    public static ApprovalDecision ToApprovalDecision(string text) => text switch
    {
        "approved" => ApprovalDecision.Approved,
        "rejected" => ApprovalDecision.Rejected,
        _ => throw Unknown(text),
    };

    public static string Of(DeploymentStatus value) => value switch
    {
        DeploymentStatus.Pending => "pending",
        DeploymentStatus.Waiting => "waiting",
        DeploymentStatus.Progressing => "progressing",
        DeploymentStatus.Paused => "paused",
        DeploymentStatus.Succeeded => "succeeded",
        DeploymentStatus.Failed => "failed",
        DeploymentStatus.RolledBack => "rolled-back",
        DeploymentStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };

    public static DeploymentStatus ToDeploymentStatus(string text) => text switch
    {
        "pending" => DeploymentStatus.Pending,
        "waiting" => DeploymentStatus.Waiting,
        "progressing" => DeploymentStatus.Progressing,
        "paused" => DeploymentStatus.Paused,
        "succeeded" => DeploymentStatus.Succeeded,
        "failed" => DeploymentStatus.Failed,
        "rolled-back" => DeploymentStatus.RolledBack,
        "cancelled" => DeploymentStatus.Cancelled,
        _ => throw Unknown(text),
    };

    public static string Of(GateResult value) => value switch
    {
        GateResult.Pass => "pass",
        GateResult.Fail => "fail",
        GateResult.Pending => "pending",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };

    public static GateResult ToGateResult(string text) => text switch
    {
        "pass" => GateResult.Pass,
        "fail" => GateResult.Fail,
        "pending" => GateResult.Pending,
        _ => throw Unknown(text),
    };

    public static string Of(UserRole value) => value switch
    {
        UserRole.Viewer => "viewer",
        UserRole.Developer => "developer",
        UserRole.Approver => "approver",
        UserRole.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };

    public static UserRole ToUserRole(string text) => text switch
    {
        "viewer" => UserRole.Viewer,
        "developer" => UserRole.Developer,
        "approver" => UserRole.Approver,
        "admin" => UserRole.Admin,
        _ => throw Unknown(text),
    };

    private static InvalidDataException Unknown(string text) => new($"The store holds the unknown value '{text}'.");
}
