using Shipgate.Core.Expressions;
using Shipgate.Core.Workflows;
using Shipgate.Engine.Actions;
using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Steps;

/// <summary>Runs a built-in action's main step, and registers its post step when it has one.</summary>
internal static class BuiltinActionRunner
{
    public static async Task<StepBodyResult> RunAsync(
        IBuiltinAction action,
        StepDefinition step,
        IReadOnlyDictionary<string, string> with,
        StepScope scope,
        StepOutputSink sink,
        StepInvocation invocation,
        IReadOnlyDictionary<string, string> env,
        ObjectValue github,
        CancellationToken cancellationToken)
    {
        var job = scope.Job;
        var environment = StepProcess.BuildEnvironment(job, env, github, fileCommands: null, extraEnvironment: null);
        var context = new ActionContext(job, with, environment, invocation) { Sink = sink };
        var result = await GuardAsync(job, action, () => action.RunAsync(context, cancellationToken)).ConfigureAwait(false);
        if (action.HasPost(context))
        {
            var condition = new ScalarToken(action.PostIf, IsPlain: true, step.Location);
            job.PostSteps.Push(new PostStep(
                "Post " + StepExecutor.DisplayName(step, scope),
                condition,
                scope,
                async (postSink, token) =>
                {
                    context.Sink = postSink;
                    return ToBody(await GuardAsync(job, action, () => action.PostAsync(context, token)).ConfigureAwait(false));
                }));
        }

        return ToBody(result);
    }

    /// <summary>
    /// An action that throws (a broken disk, a bug) fails its step with the message instead of ending the run,
    /// as GitHub's runner reports an action's unhandled exception. Cancellation still propagates.
    /// </summary>
    /// <remarks>
    /// Built-in actions run in the server, as its user: in a sandbox, what they wrote in the job's directories
    /// (a checkout, a restored cache, a tool) is given to the runner user afterwards, so that later steps can change it.
    /// </remarks>
    private static async Task<ActionResult> GuardAsync(JobState job, IBuiltinAction action, Func<Task<ActionResult>> run)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ActionResult.Failure($"{action.Key} failed unexpectedly: {ex.Message}");
        }
        finally
        {
            if (job.Sandbox is { } sandbox)
            {
                await sandbox.GiveTreesToRunnerAsync(CancellationToken.None, job.Workspace, job.Temp, job.Home!, job.Run.ToolCache)
                    .ConfigureAwait(false);
            }
        }
    }

    private static StepBodyResult ToBody(ActionResult result) => new(result.Conclusion, result.Conclusion == Conclusion.Success ? null : result.Message);
}
