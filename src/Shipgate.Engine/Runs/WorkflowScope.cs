using Shipgate.Core.Expressions;
using Shipgate.Core.Workflows;

namespace Shipgate.Engine.Runs;

/// <summary>
/// One workflow being executed: the run's own, or a reusable workflow a job called, with the inputs
/// and secrets it got and how its jobs are named (<c>caller / callee</c>).
/// </summary>
internal sealed class WorkflowScope
{
    public required WorkflowDefinition Workflow { get; init; }

    /// <summary>The <c>inputs</c> context.</summary>
    public required ObjectValue Inputs { get; init; }

    /// <summary>The <c>secrets</c> context.</summary>
    public required ObjectValue Secrets { get; init; }

    /// <summary>Prefix of job keys, e.g. <c>deploy/</c> for the jobs of a workflow called by job deploy.</summary>
    public string KeyPrefix { get; init; } = "";

    /// <summary>Prefix of job names, e.g. <c>Deploy / </c>.</summary>
    public string NamePrefix { get; init; } = "";

    /// <summary>0 for the run's workflow, 1 for a workflow it calls...</summary>
    public int Depth { get; init; }

    /// <summary>The run-wide <c>github</c> context (jobs add their own keys).</summary>
    public required ObjectValue Github { get; init; }

    /// <summary>The repository-relative path of the workflow file (github.workflow_ref).</summary>
    public required string WorkflowPath { get; init; }

    /// <summary>The same scope with other secrets (a job's, after its environment's gate passed).</summary>
    public WorkflowScope WithSecrets(ObjectValue secrets) => new()
    {
        Workflow = Workflow,
        Inputs = Inputs,
        Secrets = secrets,
        KeyPrefix = KeyPrefix,
        NamePrefix = NamePrefix,
        Depth = Depth,
        Github = Github,
        WorkflowPath = WorkflowPath,
    };
}
