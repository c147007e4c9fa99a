namespace Shipgate.Core.Workflows;

/// <summary>The event names and pull request activity types GitHub Actions knows (GitHub's "Events that trigger workflows").</summary>
internal static class GitHubEvents
{
    public static readonly string[] Names =
    [
        "branch_protection_rule", "check_run", "check_suite", "create", "delete", "deployment", "deployment_status",
        "discussion", "discussion_comment", "fork", "gollum", "image_version", "issue_comment", "issues", "label",
        "merge_group", "milestone", "page_build", "project", "project_card", "project_column", "public", "pull_request",
        "pull_request_review", "pull_request_review_comment", "pull_request_target", "push", "registry_package",
        "release", "repository_dispatch", "schedule", "status", "watch", "workflow_call", "workflow_dispatch", "workflow_run",
    ];

    public static readonly string[] PullRequestTypes =
    [
        "assigned", "unassigned", "labeled", "unlabeled", "opened", "edited", "closed", "reopened", "synchronize",
        "converted_to_draft", "ready_for_review", "locked", "unlocked", "review_requested", "review_request_removed",
        "auto_merge_enabled", "auto_merge_disabled", "milestoned", "demilestoned", "enqueued", "dequeued",
    ];
}
