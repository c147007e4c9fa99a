using Shipgate.Core.Expressions;
using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Steps;

/// <summary>
/// A sequence of steps that share a <c>steps</c> context and a status: the job's steps, or the inner
/// steps of a composite action (with its <c>inputs</c>, its action path and the env of the step that used it).
/// </summary>
internal sealed class StepScope
{
    public required JobState Job { get; init; }

    public required ObjectValue Steps { get; init; }

    /// <summary>The <c>inputs</c> context: the workflow's inputs, or a composite action's.</summary>
    public required ObjectValue Inputs { get; init; }

    /// <summary>The directory of the composite action whose steps these are (github.action_path), or null.</summary>
    public string? ActionPath { get; init; }

    /// <summary>The step-level env of the steps that used this composite action, outermost first (null for the job's steps).</summary>
    public IReadOnlyDictionary<string, string>? ParentEnv { get; init; }

    /// <summary>Nesting of composite actions (0 for the job's steps).</summary>
    public int Depth { get; init; }

    /// <summary>The token of the composite step these steps belong to (its timeout), or none.</summary>
    public CancellationToken ParentToken { get; init; }

    public bool AnyFailed { get; set; }

    public JobStatus Status => Job.Status == JobStatus.Cancelled || ParentToken.IsCancellationRequested
        ? JobStatus.Cancelled
        : AnyFailed ? JobStatus.Failure : JobStatus.Success;

    /// <summary>The <c>env</c> context before a step's own env: job env, GITHUB_ENV exports, the composite's caller env.</summary>
    public Dictionary<string, string> BaseEnv()
    {
        var env = new Dictionary<string, string>(Job.Env, StringComparer.Ordinal);
        foreach (var pair in Job.ExportedEnv)
        {
            env[pair.Key] = pair.Value;
        }

        if (ParentEnv is not null)
        {
            foreach (var pair in ParentEnv)
            {
                env[pair.Key] = pair.Value;
            }
        }

        return env;
    }
}
