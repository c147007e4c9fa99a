namespace Shipgate.Storage.Runs;

/// <summary>A run to queue: one workflow of a project for one commit and event.</summary>
public sealed record NewRun
{
    public required long ProjectId { get; init; }

    /// <summary>The workflow file relative to the repository, e.g. <c>.github/workflows/ci.yml</c>.</summary>
    public required string WorkflowPath { get; init; }

    public required string WorkflowName { get; init; }

    /// <summary>push, pull_request, workflow_dispatch, schedule…</summary>
    public required string Event { get; init; }

    public required string Ref { get; init; }

    public required string Sha { get; init; }

    /// <summary>GITHUB_ACTOR: the commit's author or the user who dispatched it.</summary>
    public required string Actor { get; init; }

    /// <summary>The Shipgate user the run counts as started by (prevent-self-review). Default <see cref="Actor"/>.</summary>
    public string? Initiator { get; init; }

    public IReadOnlyDictionary<string, string> Inputs { get; init; } = new Dictionary<string, string>();

    /// <summary>The workflow's <c>concurrency</c> group (evaluated), or null.</summary>
    public string? ConcurrencyGroup { get; init; }

    /// <summary>The group's <c>cancel-in-progress</c> (evaluated): queuing this run cancels the group's running run.</summary>
    public bool CancelInProgress { get; init; }
}
