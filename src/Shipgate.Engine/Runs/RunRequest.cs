using Shipgate.Core.Workflows;
using Shipgate.Engine.Actions;

namespace Shipgate.Engine.Runs;

/// <summary>One run to execute: the workflow, the commit and event it is for, and what the host provides.</summary>
public sealed class RunRequest
{
    /// <summary>The parsed (and validated) workflow.</summary>
    public required WorkflowDefinition Workflow { get; init; }

    /// <summary>The git repository the run is for. The run never modifies it.</summary>
    public required string RepositoryDirectory { get; init; }

    /// <summary>push, pull_request, workflow_dispatch, schedule or workflow_call. Default push.</summary>
    public string EventName { get; init; } = "push";

    /// <summary>The full ref (<c>refs/heads/main</c>); a bare branch name is taken as one. Default: the repository's current branch.</summary>
    public string? Ref { get; init; }

    /// <summary>The commit. Default: the commit the ref (or HEAD) points at.</summary>
    public string? Sha { get; init; }

    /// <summary>workflow_dispatch inputs as given (typed by the workflow's input definitions, defaults applied).</summary>
    public IReadOnlyDictionary<string, string> Inputs { get; init; } = new Dictionary<string, string>();

    /// <summary>Secrets: masked in every log, never written to disk unmasked.</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();

    /// <summary>Configuration variables (the <c>vars</c> context).</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    /// <summary>GITHUB_ACTOR. Default: the user running the process.</summary>
    public string Actor { get; init; } = Environment.UserName;

    /// <summary>Where runs, logs, artifacts and caches go. Default <c>&lt;repository&gt;/.shipgate</c>.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Run only this job (and the jobs it needs, transitively). Null runs every job.</summary>
    public string? JobFilter { get; init; }

    /// <summary>GITHUB_RUN_ID. Default: a new id from the clock.</summary>
    public string? RunId { get; init; }

    /// <summary>GITHUB_RUN_NUMBER. Default 1.</summary>
    public int RunNumber { get; init; } = 1;

    /// <summary>GITHUB_RUN_ATTEMPT. Default 1.</summary>
    public int RunAttempt { get; init; } = 1;

    /// <summary>
    /// Resumes a run: the job instances it already completed, by job key (<see cref="JobStartedEvent.JobKey"/>:
    /// <c>build</c>, <c>build[1]</c> for a matrix leg, <c>caller/callee</c> for a job of a called workflow).
    /// They are taken as done (not run, their events not published again; their results and outputs reach
    /// <c>needs</c>); every other job runs under the usual rules. Use the same <see cref="RunId"/> and data
    /// directory as before, so the run's directory, logs and artifacts carry on. Empty (the default) runs every job.
    /// </summary>
    public IReadOnlyDictionary<string, CompletedJob> CompletedJobs { get; init; } = new Dictionary<string, CompletedJob>();

    /// <summary>Answers trstringer/manual-approval and environment approvals; null: approvals fail.</summary>
    public IApprovalGate? ApprovalGate { get; init; }

    /// <summary>Asked before each job that names an <c>environment:</c> runs; null: such jobs run at once, with the run's secrets and variables.</summary>
    public IJobGate? JobGate { get; init; }

    /// <summary>The clock (timestamps, durations, timeouts). Default the system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Further host services for built-in actions (<see cref="IActionContext.GetService{T}"/>).</summary>
    public IServiceProvider? Services { get; init; }

    /// <summary>
    /// The concurrency groups this run shares with other runs (the server gives each project its own
    /// instance: GitHub's groups are per repository); null uses <see cref="RunEngineOptions.ConcurrencyGroups"/>.
    /// </summary>
    public ConcurrencyGroups? ConcurrencyGroups { get; init; }

    /// <summary>
    /// Cancelled when the host goes away and will resume the run later from what it recorded (the server's
    /// clean stop): the running steps' processes are stopped as on a cancellation, but nothing more runs (no
    /// <c>always()</c> step or job, no post step), no job leaves its gate, and nothing more is published, so the
    /// record stays as a crash would leave it. <see cref="RunEngine.RunAsync"/> then returns with <see cref="RunResult.Detached"/>.
    /// </summary>
    public CancellationToken Detach { get; init; }
}
