using Shipgate.Core.Expressions;
using Shipgate.Core.Workflows;
using Shipgate.Engine.Contexts;
using Shipgate.Engine.Runs;
using Shipgate.Engine.Steps;

namespace Shipgate.Engine.Reusable;

/// <summary>
/// Runs a job that calls a local reusable workflow (<c>uses: ./.github/workflows/x.yml</c>), read from
/// the repository: its inputs from <c>with:</c> (typed, defaults applied), its secrets (<c>secrets:</c> or
/// <c>secrets: inherit</c>), its jobs named <c>caller / callee</c>, and its <c>on.workflow_call.outputs</c>
/// as the calling job's outputs. The <c>github</c> context stays the caller's, as on GitHub.
/// </summary>
internal static class ReusableWorkflowRunner
{
    /// <summary>GitHub's limit of nested reusable workflows (the caller's workflow included).</summary>
    public const int MaxDepth = 10;

    public static async Task<JobRunResult> RunAsync(RunContext run, WorkflowScope scope, JobDefinition job, JobLeg leg, ObjectValue needs, CancellationToken cancellationToken)
    {
        var started = run.Time.GetUtcNow();
        await JobRunner.PublishStartedAsync(run, scope, job, leg, needs).ConfigureAwait(false);
        var outputs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        Conclusion conclusion;
        string? reason = null;
        try
        {
            var callee = Load(run, scope, job);
            var context = JobRunner.JobContexts(run, scope, GithubContextBuilder.With(scope.Github, ("job", job.Id)), needs, leg);
            var calleeScope = new WorkflowScope
            {
                Workflow = callee,
                Inputs = Inputs(run, callee, job, context, scope),
                Secrets = Secrets(run, callee, job, context, scope),
                Github = scope.Github,
                KeyPrefix = leg.Key + "/",
                NamePrefix = leg.Name + " / ",
                Depth = scope.Depth + 1,
                WorkflowPath = job.Uses!.Value.TrimStart('.', '/'),
            };
            var results = await JobGraphRunner.RunAsync(run, calleeScope, callee.Jobs, cancellationToken).ConfigureAwait(false);
            conclusion = results.Values.Any(r => r.Result == Conclusion.Failure) ? Conclusion.Failure
                : results.Values.Any(r => r.Result == Conclusion.Cancelled) ? Conclusion.Cancelled
                : Conclusion.Success;
            if (conclusion != Conclusion.Success)
            {
                reason = conclusion == Conclusion.Failure ? $"A job of {job.Uses.Value} failed." : $"A job of {job.Uses.Value} was cancelled.";
            }

            var jobs = new ObjectValue();
            foreach (var pair in results)
            {
                var entry = new ObjectValue();
                entry.Set("result", ExpressionValue.FromString(StepExecutor.Name(pair.Value.Result)));
                entry.Set("outputs", pair.Value.Outputs);
                jobs.Set(pair.Key, entry);
            }

            var outputContext = new EvaluationContext
            {
                Contexts = new Dictionary<string, ExpressionValue>(StringComparer.OrdinalIgnoreCase)
                {
                    ["github"] = scope.Github,
                    ["inputs"] = calleeScope.Inputs,
                    ["vars"] = run.Variables,
                    ["jobs"] = jobs,
                },
            };
            foreach (var output in callee.On.WorkflowCall!.Outputs)
            {
                outputs[output.Key] = run.Evaluator.EvaluateString(output.Value, outputContext);
            }
        }
        catch (WorkflowEvaluationException ex)
        {
            conclusion = Conclusion.Failure;
            reason = ex.Message;
        }

        var result = new JobRunResult
        {
            Key = leg.Key,
            JobId = job.Id,
            Name = leg.Name,
            Outcome = conclusion,
            Conclusion = conclusion,
            Reason = reason,
            Outputs = outputs,
            MatrixJson = leg.MatrixJson,
            Steps = [],
        };
        await JobRunner.PublishFinishedAsync(run, result, run.Time.GetUtcNow() - started).ConfigureAwait(false);
        return result;
    }

    private static WorkflowDefinition Load(RunContext run, WorkflowScope scope, JobDefinition job)
    {
        var uses = job.Uses!;
        if (!uses.Value.StartsWith("./", StringComparison.Ordinal))
        {
            throw new WorkflowEvaluationException($"{uses.Location}: workflow {uses.Value} is not available offline; vendor it into the repository and use `uses: ./.github/workflows/NAME.yml`");
        }

        if (scope.Depth + 1 >= MaxDepth)
        {
            throw new WorkflowEvaluationException($"{uses.Location}: reusable workflows are nested more than {MaxDepth} deep.");
        }

        var path = Path.GetFullPath(uses.Value, run.Request.RepositoryDirectory);
        var loaded = WorkflowLoader.LoadFile(path);
        if (loaded.HasErrors || loaded.Workflow is null)
        {
            throw new WorkflowEvaluationException(string.Join("; ", loaded.Errors.Take(3).Select(e => e.ToString())));
        }

        if (loaded.Workflow.On.WorkflowCall is null)
        {
            throw new WorkflowEvaluationException($"{uses.Location}: {uses.Value} is not a reusable workflow: it has no on.workflow_call.");
        }

        return loaded.Workflow;
    }

    private static ObjectValue Inputs(RunContext run, WorkflowDefinition callee, JobDefinition job, EvaluationContext context, WorkflowScope scope)
    {
        var given = new Dictionary<string, ExpressionValue>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in job.With?.Pairs ?? [])
        {
            given[pair.Key.Value] = run.Evaluator.EvaluateValue(pair.Value, context);
        }

        var definitions = callee.On.WorkflowCall!.Inputs;
        foreach (var definition in definitions)
        {
            if (definition.Required && definition.Default is null && !given.ContainsKey(definition.Name))
            {
                throw new WorkflowEvaluationException($"{job.Uses!.Location}: input '{definition.Name}' is required by {job.Uses.Value}, but not provided.");
            }
        }

        var defaultsContext = new EvaluationContext
        {
            Contexts = new Dictionary<string, ExpressionValue>(StringComparer.OrdinalIgnoreCase) { ["github"] = scope.Github, ["vars"] = run.Variables },
        };
        return InputsBuilder.Build(definitions, given, token => run.Evaluator.EvaluateValue(token, defaultsContext));
    }

    private static ObjectValue Secrets(RunContext run, WorkflowDefinition callee, JobDefinition job, EvaluationContext context, WorkflowScope scope)
    {
        var secrets = new ObjectValue();
        if (job.SecretsInherit)
        {
            foreach (var pair in scope.Secrets.Pairs)
            {
                secrets.Set(pair.Key, pair.Value);
            }
        }
        else
        {
            var withSecrets = new EvaluationContext { Contexts = new Dictionary<string, ExpressionValue>(context.Contexts, StringComparer.OrdinalIgnoreCase) { ["secrets"] = scope.Secrets } };
            foreach (var pair in job.Secrets)
            {
                secrets.Set(pair.Key, ExpressionValue.FromString(run.Evaluator.EvaluateString(pair.Value, withSecrets)));
            }

            secrets.Set("GITHUB_TOKEN", scope.Secrets["GITHUB_TOKEN"]);
        }

        foreach (var declared in callee.On.WorkflowCall!.Secrets)
        {
            if (declared.Value && (!secrets.TryGetValue(declared.Key, out var value) || value.CoerceToString().Length == 0))
            {
                throw new WorkflowEvaluationException($"{job.Uses!.Location}: secret '{declared.Key}' is required by {job.Uses.Value}, but not provided.");
            }
        }

        return secrets;
    }
}
