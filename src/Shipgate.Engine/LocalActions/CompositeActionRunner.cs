using Shipgate.Core.Expressions;
using Shipgate.Engine.Contexts;
using Shipgate.Engine.Runs;
using Shipgate.Engine.Steps;

namespace Shipgate.Engine.LocalActions;

/// <summary>
/// Runs a composite action's steps as part of the step that uses it: its own <c>steps</c> and
/// <c>inputs</c> contexts, github.action_path, the using step's env, and its outputs evaluated at the end.
/// GITHUB_ENV and GITHUB_PATH of its steps reach the job's later steps, as on GitHub.
/// </summary>
internal static class CompositeActionRunner
{
    /// <summary>GitHub's limit of composite actions nested in each other.</summary>
    public const int MaxDepth = 9;

    public static async Task<StepBodyResult> RunAsync(
        ActionManifest manifest,
        IReadOnlyDictionary<string, string> inputs,
        StepScope scope,
        StepOutputSink sink,
        StepInvocation invocation,
        IReadOnlyDictionary<string, string> stepEnv,
        CancellationToken cancellationToken)
    {
        if (scope.Depth >= MaxDepth)
        {
            return StepBodyResult.Failure($"{manifest.FilePath}: composite actions are nested more than {MaxDepth} deep.");
        }

        var inner = new StepScope
        {
            Job = scope.Job,
            Steps = new Core.Expressions.ObjectValue(),
            Inputs = ValueConversion.FromStrings(inputs),
            ActionPath = manifest.Directory,
            ParentEnv = stepEnv,
            Depth = scope.Depth + 1,
            ParentToken = cancellationToken,
        };
        string? reason = null;
        var cancelled = false;
        foreach (var step in manifest.Steps)
        {
            bool shouldRun;
            var afterCancel = inner.Status == JobStatus.Cancelled;
            try
            {
                shouldRun = StepExecutor.ShouldRun(step, inner);
            }
            catch (WorkflowEvaluationException ex)
            {
                inner.AnyFailed = true;
                reason ??= ex.Message;
                continue;
            }

            if (!shouldRun)
            {
                StepExecutor.Record(inner, step.Id, Conclusion.Skipped, Conclusion.Skipped, new Dictionary<string, string>());
                continue;
            }

            sink.WriteLine("##[group]" + StepExecutor.DisplayName(step, inner));
            var outcome = await StepExecutor.RunAsync(step, inner, sink, afterCancel).ConfigureAwait(false);
            sink.WriteLine("##[endgroup]");
            cancelled |= outcome.Outcome == Conclusion.Cancelled;
            if (outcome.Conclusion == Conclusion.Failure)
            {
                reason ??= outcome.Reason;
            }
        }

        var prepared = scope.Job.CreateContext(inner, inner.BaseEnv(), scope.Job.Github);
        foreach (var output in manifest.Outputs)
        {
            if (output.Value is { } value)
            {
                try
                {
                    invocation.Outputs[output.Key] = scope.Job.Run.Evaluator.EvaluateString(value, prepared);
                }
                catch (WorkflowEvaluationException ex)
                {
                    inner.AnyFailed = true;
                    reason ??= ex.Message;
                }
            }
        }

        if (inner.AnyFailed)
        {
            return StepBodyResult.Failure(reason ?? $"A step of {manifest.Name} failed.");
        }

        return cancelled ? new StepBodyResult(Conclusion.Cancelled) : StepBodyResult.Success;
    }
}
