using Shipgate.Core.Expressions;
using Shipgate.Core.Workflows;
using Shipgate.Engine.Actions;
using Shipgate.Engine.Contexts;
using Shipgate.Engine.Processes;
using Shipgate.Engine.Runs;
using Shipgate.Engine.Steps;

namespace Shipgate.Engine.LocalActions;

/// <summary>
/// Runs a JavaScript action (<c>using: node12|16|20|24</c>) with the host's <c>node</c>: inputs as
/// INPUT_&lt;NAME&gt;, saved state as STATE_&lt;name&gt;; its <c>pre</c> at the start of the job, its
/// <c>main</c> as the step, its <c>post</c> after the job's steps (pre-if and post-if default to always()).
/// </summary>
internal static class NodeActionRunner
{
    public static async Task<StepBodyResult> RunMainAsync(
        ActionManifest manifest,
        StepDefinition step,
        IReadOnlyDictionary<string, string> inputs,
        StepScope scope,
        StepOutputSink sink,
        StepInvocation invocation,
        PreparedStep prepared,
        CancellationToken cancellationToken)
    {
        var job = scope.Job;
        if (FindNode(job, prepared.Env) is not { } node)
        {
            return StepBodyResult.Failure(NodeMissing(manifest));
        }

        if (manifest.Main is null)
        {
            return StepBodyResult.Failure($"{manifest.FilePath}: runs.main is required for a {manifest.Using} action.");
        }

        var state = scope.Depth == 0 && job.PreState.TryGetValue(step.Index, out var saved) ? saved : new Dictionary<string, string>();
        var result = await RunScriptAsync(job, node, manifest, manifest.Main, inputs, state, sink, invocation, prepared, cancellationToken).ConfigureAwait(false);
        if (manifest.Post is { } post)
        {
            var postState = new Dictionary<string, string>(state, StringComparer.Ordinal);
            foreach (var pair in invocation.State)
            {
                postState[pair.Key] = pair.Value;
            }

            job.PostSteps.Push(new PostStep(
                "Post " + StepExecutor.DisplayName(step, scope),
                manifest.PostIf ?? new ScalarToken("always()", IsPlain: true, step.Location),
                scope,
                (postSink, token) => RunScriptAsync(job, node, manifest, post, inputs, postState, postSink, new StepInvocation(), prepared, token)));
        }

        return result;
    }

    /// <summary>
    /// Runs the <c>pre</c> scripts of the job's local node actions before its first step, each as a step of
    /// its own, when the action can be found already (in the workspace or the repository).
    /// </summary>
    public static async Task RunPreStepsAsync(StepScope scope, Func<string, Func<StepOutputSink, Task<StepOutcome>>, Task> runStep)
    {
        var job = scope.Job;
        foreach (var step in job.Job.Steps)
        {
            if (step.Uses?.Value is not { } uses || ActionReference.TryParse(uses) is not { IsLocal: true } reference
                || !LocalActionRunner.TryLoad(reference, scope, out var manifest, out _) || !manifest.IsNode || manifest.Pre is not { } pre)
            {
                continue;
            }

            var name = "Pre " + StepExecutor.DisplayName(step, scope);
            PreparedStep prepared;
            try
            {
                prepared = StepExecutor.Prepare(step, scope);
                var condition = manifest.PreIf ?? new ScalarToken("always()", IsPlain: true, step.Location);
                if (!job.Run.Evaluator.EvaluateCondition(condition, prepared.Context))
                {
                    continue;
                }
            }
            catch (WorkflowEvaluationException)
            {
                continue;
            }

            await runStep(name, async sink =>
            {
                var invocation = new StepInvocation();
                StepBodyResult body;
                if (FindNode(job, prepared.Env) is not { } node)
                {
                    body = StepBodyResult.Failure(NodeMissing(manifest));
                }
                else
                {
                    var inputs = LocalActionRunner.ResolveInputs(manifest, StepExecutor.EvaluateWith(step, scope, prepared.Context), scope, prepared, sink);
                    body = await StepExecutor.RunWithTimeoutAsync(null, job, CancellationToken.None, job.Status == JobStatus.Cancelled, token =>
                        RunScriptAsync(job, node, manifest, pre, inputs, new Dictionary<string, string>(), sink, invocation, prepared, token)).ConfigureAwait(false);
                }

                job.PreState[step.Index] = invocation.State;
                if (body.Outcome == Conclusion.Failure)
                {
                    scope.AnyFailed = true;
                    if (body.Reason is not null)
                    {
                        sink.Annotate(AnnotationLevel.Error, body.Reason);
                    }
                }

                return new StepOutcome(body.Outcome, body.Outcome, body.Reason, invocation.Outputs);
            }).ConfigureAwait(false);
        }
    }

    private static Task<StepBodyResult> RunScriptAsync(
        JobState job,
        string node,
        ActionManifest manifest,
        string script,
        IReadOnlyDictionary<string, string> inputs,
        IReadOnlyDictionary<string, string> state,
        StepOutputSink sink,
        StepInvocation invocation,
        PreparedStep prepared,
        CancellationToken cancellationToken)
    {
        var extra = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["GITHUB_ACTION_PATH"] = manifest.Directory,
        };
        foreach (var input in inputs)
        {
            extra["INPUT_" + input.Key.Replace(' ', '_').ToUpperInvariant()] = input.Value;
        }

        foreach (var pair in state)
        {
            extra["STATE_" + pair.Key] = pair.Value;
        }

        var github = GithubContextBuilder.With(prepared.Github, ("action_path", manifest.Directory));
        return StepProcess.RunAsync(job, node, [Path.Combine(manifest.Directory, script)], job.Workspace, prepared.Env, github, sink, invocation, extra, cancellationToken);
    }

    private static string? FindNode(JobState job, IReadOnlyDictionary<string, string> env) =>
        job.Run.Options.NodePath ?? ExecutableLocator.Find("node", StepProcess.SearchPath(job, env));

    private static string NodeMissing(ActionManifest manifest) =>
        $"{manifest.Name} is a JavaScript action ({manifest.Using}) and needs Node.js, which is not on the step's PATH; install node on the host or run actions/setup-node before this step.";
}
