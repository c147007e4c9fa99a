using Shipgate.Core.Expressions;
using Shipgate.Core.Workflows;
using Shipgate.Engine.Actions;
using Shipgate.Engine.Contexts;
using Shipgate.Engine.LocalActions;
using Shipgate.Engine.Runs;

namespace Shipgate.Engine.Steps;

/// <summary>
/// Runs one step of a job or of a composite action: its <c>if:</c>, env, <c>run:</c> script or
/// <c>uses:</c> action, timeout and continue-on-error, and records it in the <c>steps</c> context.
/// </summary>
internal static class StepExecutor
{
    /// <summary>Evaluates the step's <c>if:</c> (default success()) with the status of its scope.</summary>
    public static bool ShouldRun(StepDefinition step, StepScope scope)
    {
        var context = scope.Job.CreateContext(scope, scope.BaseEnv(), StepGithub(step, scope));
        return scope.Job.Run.Evaluator.EvaluateCondition(step.If, context);
    }

    /// <summary>The step's display name: its <c>name:</c>, or <c>Run &lt;first line&gt;</c>, or <c>Run &lt;uses&gt;</c>.</summary>
    public static string DisplayName(StepDefinition step, StepScope scope)
    {
        if (step.Name is { } name)
        {
            try
            {
                // The name may use secrets: it is shown, stored and used for the log file's name masked.
                var evaluated = scope.Job.Run.Evaluator.EvaluateString(name, scope.Job.CreateContext(scope, scope.BaseEnv(), StepGithub(step, scope)));
                return scope.Job.Run.Masker.Mask(evaluated);
            }
            catch (WorkflowEvaluationException)
            {
                return name.Value;
            }
        }

        if (step.Run is { } run)
        {
            var firstLine = run.Value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
            return "Run " + firstLine;
        }

        return "Run " + (step.Uses?.Value ?? $"step {step.Index + 1}");
    }

    /// <summary>
    /// Runs the step (whose <c>if:</c> held) and records it in its scope's <c>steps</c> context.
    /// <paramref name="afterCancel"/>: whether the <c>if:</c> was decided with the job already cancelled (it
    /// asked for always() or cancelled()); such a step is stopped only by its timeouts. It is decided with the
    /// condition, not when the body starts: a cancellation that arrives in between must stop the step.
    /// </summary>
    public static async Task<StepOutcome> RunAsync(StepDefinition step, StepScope scope, StepOutputSink sink, bool afterCancel)
    {
        var job = scope.Job;
        var evaluator = job.Run.Evaluator;
        var invocation = new StepInvocation();
        var continueOnError = false;
        StepBodyResult body;
        try
        {
            var prepared = Prepare(step, scope);
            continueOnError = evaluator.EvaluateBoolean(step.ContinueOnError, prepared.Context);
            var timeout = evaluator.EvaluateMinutes(step.TimeoutMinutes, prepared.Context);
            body = await RunWithTimeoutAsync(
                timeout,
                job,
                scope.ParentToken,
                afterCancel,
                token => RunBodyAsync(step, scope, sink, invocation, prepared, token)).ConfigureAwait(false);
        }
        catch (WorkflowEvaluationException ex)
        {
            body = StepBodyResult.Failure(ex.Message);
        }

        if (body.Outcome == Conclusion.Failure && body.Reason is not null)
        {
            sink.Annotate(AnnotationLevel.Error, body.Reason);
        }

        var conclusion = body.Outcome == Conclusion.Failure && continueOnError ? Conclusion.Success : body.Outcome;
        Record(scope, step.Id, body.Outcome, conclusion, invocation.Outputs);
        if (conclusion == Conclusion.Failure)
        {
            scope.AnyFailed = true;
        }

        return new StepOutcome(body.Outcome, conclusion, body.Reason, invocation.Outputs);
    }

    /// <summary>Records a step (run or skipped) in the <c>steps</c> context of its scope.</summary>
    public static void Record(StepScope scope, string? id, Conclusion outcome, Conclusion conclusion, IReadOnlyDictionary<string, string> outputs)
    {
        if (id is null)
        {
            return;
        }

        var entry = new ObjectValue();
        entry.Set("outputs", ValueConversion.FromStrings(outputs));
        entry.Set("outcome", ExpressionValue.FromString(Name(outcome)));
        entry.Set("conclusion", ExpressionValue.FromString(Name(conclusion)));
        lock (scope.Steps)
        {
            scope.Steps.Set(id, entry);
        }
    }

    public static string Name(Conclusion conclusion) => conclusion switch
    {
        Conclusion.Success => "success",
        Conclusion.Failure => "failure",
        Conclusion.Cancelled => "cancelled",
        _ => "skipped",
    };

    /// <summary>
    /// Runs <paramref name="body"/> with a token that the step's timeout, the job's timeout and the job's
    /// cancellation fire, and tells a timeout (a failure) from a cancellation. A step that runs after the job
    /// was cancelled (its <c>if:</c> asked for always() or cancelled()) is only stopped by its own timeout.
    /// </summary>
    public static async Task<StepBodyResult> RunWithTimeoutAsync(TimeSpan? timeout, JobState job, CancellationToken parentToken, bool afterCancel, Func<CancellationToken, Task<StepBodyResult>> body)
    {
        using var stepTimeout = timeout is null ? new CancellationTokenSource() : new CancellationTokenSource(timeout.Value, job.Run.Time);
        using var linked = afterCancel
            ? CancellationTokenSource.CreateLinkedTokenSource(stepTimeout.Token, parentToken, job.Run.Request.Detach)
            : CancellationTokenSource.CreateLinkedTokenSource(
                stepTimeout.Token, parentToken, job.Cancel.Token, job.Timeout.Token, job.Run.Request.Detach);
        StepBodyResult result;
        try
        {
            result = await body(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            result = new StepBodyResult(Conclusion.Cancelled);
        }

        if (result.Outcome != Conclusion.Cancelled || !linked.IsCancellationRequested)
        {
            return result;
        }

        if (stepTimeout.IsCancellationRequested)
        {
            return StepBodyResult.Failure($"The step timed out after {FormatMinutes(timeout!.Value)}.");
        }

        if (!afterCancel && job.Timeout.IsCancellationRequested && !job.Cancel.IsCancellationRequested)
        {
            job.TimedOut = true;
            return StepBodyResult.Failure("The job timed out.");
        }

        return new StepBodyResult(Conclusion.Cancelled, "The operation was cancelled.");
    }

    public static string FormatMinutes(TimeSpan timeout) =>
        timeout.TotalMinutes == 1 ? "1 minute" : $"{ExpressionValue.FromNumber(timeout.TotalMinutes).CoerceToString()} minutes";

    /// <summary>The <c>github</c> context of a step: the job's, with the action keys of this step.</summary>
    public static ObjectValue StepGithub(StepDefinition step, StepScope scope)
    {
        var reference = step.Uses is null ? null : ActionReference.TryParse(step.Uses.Value);
        var action = step.Id ?? (step.Run is not null || reference is null ? "__run"
            : reference.IsLocal ? "__self"
            : "__" + RunContext.Slug($"{reference.Owner}_{reference.Repository}").Replace('-', '_'));
        return GithubContextBuilder.With(
            scope.Job.Github,
            ("action", action),
            ("action_path", scope.ActionPath ?? ""),
            ("action_repository", reference?.RepositoryKey ?? ""),
            ("action_ref", reference?.Ref ?? ""));
    }

    /// <summary>Evaluates a step's env (over its scope's), its <c>github</c> context, and the contexts of its other keys.</summary>
    public static PreparedStep Prepare(StepDefinition step, StepScope scope)
    {
        var job = scope.Job;
        var github = StepGithub(step, scope);
        var env = scope.BaseEnv();
        var stepEnv = new Dictionary<string, string>(scope.ParentEnv ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        var envContext = job.CreateContext(scope, env, github);
        foreach (var pair in step.Env)
        {
            var value = job.Run.Evaluator.EvaluateString(pair.Value, envContext);
            env[pair.Key] = value;
            stepEnv[pair.Key] = value;
        }

        return new PreparedStep(env, stepEnv, github, job.CreateContext(scope, env, github));
    }

    /// <summary>The <c>with:</c> inputs of a step, evaluated.</summary>
    public static Dictionary<string, string> EvaluateWith(StepDefinition step, StepScope scope, EvaluationContext context)
    {
        var with = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in step.With)
        {
            with[pair.Key] = scope.Job.Run.Evaluator.EvaluateString(pair.Value, context);
        }

        return with;
    }

    private static async Task<StepBodyResult> RunBodyAsync(
        StepDefinition step,
        StepScope scope,
        StepOutputSink sink,
        StepInvocation invocation,
        PreparedStep prepared,
        CancellationToken cancellationToken)
    {
        var (env, _, github, context) = prepared;
        var job = scope.Job;
        if (step.Run is { } run)
        {
            var evaluator = job.Run.Evaluator;
            var script = evaluator.EvaluateString(run, context);
            var shell = step.Shell is { } s ? evaluator.EvaluateString(s, context) : scope.Depth == 0 ? job.DefaultShell : null;
            var directory = step.WorkingDirectory is { } w ? evaluator.EvaluateString(w, context) : scope.Depth == 0 ? job.DefaultWorkingDirectory : null;
            return await ScriptRunner.RunAsync(job, script, shell, directory, env, github, sink, invocation, cancellationToken).ConfigureAwait(false);
        }

        if (step.Uses is not { } uses)
        {
            return StepBodyResult.Failure($"{step.Location}: the step has neither run nor uses.");
        }

        if (uses.Value.StartsWith("docker://", StringComparison.Ordinal))
        {
            return StepBodyResult.Failure($"{uses.Location}: action {uses.Value} is a Docker container action, which needs Docker; Shipgate runs steps on the host.");
        }

        var reference = ActionReference.TryParse(uses.Value);
        if (reference is null)
        {
            return StepBodyResult.Failure($"{uses.Location}: '{uses.Value}' is not an action reference (owner/repo@ref or ./path).");
        }

        var with = EvaluateWith(step, scope, context);
        if (reference.IsLocal)
        {
            return await LocalActionRunner.RunAsync(step, reference, with, scope, sink, invocation, prepared, cancellationToken).ConfigureAwait(false);
        }

        var builtin = job.Run.Builtins.Find(reference);
        if (builtin is null)
        {
            return StepBodyResult.Failure(BuiltinActionRegistry.NotAvailableMessage(uses.Value));
        }

        return await BuiltinActionRunner.RunAsync(builtin, step, with, scope, sink, invocation, env, github, cancellationToken).ConfigureAwait(false);
    }
}
