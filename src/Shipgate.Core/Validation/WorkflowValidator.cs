using Shipgate.Core.Diagnostics;
using Shipgate.Core.Expressions;
using Shipgate.Core.Workflows;

namespace Shipgate.Core.Validation;

/// <summary>
/// Semantic checks of a parsed workflow, all in one pass, each positioned: the <c>needs</c> graph
/// (unknown jobs, cycles), steps (duplicate ids, run and uses), matrices (empty vectors), every
/// expression (syntax, contexts and functions allowed at its key), and script injection warnings.
/// </summary>
internal sealed class WorkflowValidator
{
    /// <summary>GitHub's limit on the jobs one matrix may generate.</summary>
    internal const int MaxMatrixJobs = 256;

    private static readonly string[] AllContexts = ["github", "env", "vars", "secrets", "needs", "steps", "job", "jobs", "runner", "strategy", "matrix", "inputs"];
    private static readonly string[] StatusFunctions = ["success", "failure", "cancelled", "always"];

    private readonly List<Diagnostic> _diagnostics;

    private WorkflowValidator(List<Diagnostic> diagnostics)
    {
        _diagnostics = diagnostics;
    }

    public static void Validate(WorkflowDefinition workflow, List<Diagnostic> diagnostics)
    {
        var validator = new WorkflowValidator(diagnostics);
        validator.CheckNeeds(workflow);
        validator.CheckWorkflowExpressions(workflow);
        foreach (var job in workflow.Jobs)
        {
            validator.CheckJob(job);
        }
    }

    private void CheckNeeds(WorkflowDefinition workflow)
    {
        var jobs = new Dictionary<string, JobDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var job in workflow.Jobs)
        {
            jobs.TryAdd(job.Id, job);
        }

        foreach (var job in workflow.Jobs)
        {
            foreach (var need in job.NeedsTokens)
            {
                if (!jobs.ContainsKey(need.Value))
                {
                    var suggestion = KeySuggestion.DidYouMean(need.Value, jobs.Keys.Where(id => !string.Equals(id, job.Id, StringComparison.OrdinalIgnoreCase)));
                    Error(need.Location, $"job '{job.Id}' needs '{need.Value}', which is not a job of this workflow{suggestion}");
                }
            }
        }

        new NeedsCycleFinder(jobs, this).Run(workflow.Jobs);
    }

    private void CheckWorkflowExpressions(WorkflowDefinition workflow)
    {
        CheckTemplate(workflow.RunName, ExpressionSite.RunName);
        CheckTemplates(workflow.Env, ExpressionSite.WorkflowEnv);
        CheckTemplate(workflow.Concurrency?.Group, ExpressionSite.WorkflowConcurrency);
        CheckTemplate(workflow.Concurrency?.CancelInProgress, ExpressionSite.WorkflowConcurrency);
        CheckTemplate(workflow.Defaults?.Shell, ExpressionSite.WorkflowDefaultsRun);
        CheckTemplate(workflow.Defaults?.WorkingDirectory, ExpressionSite.WorkflowDefaultsRun);
        if (workflow.On.WorkflowCall is { } call)
        {
            foreach (var input in call.Inputs)
            {
                CheckTemplate(input.Default, ExpressionSite.CallInputDefault);
            }

            CheckTemplates(call.Outputs, ExpressionSite.CallOutputValue);
        }
    }

    private void CheckJob(JobDefinition job)
    {
        CheckTemplate(job.Name, ExpressionSite.JobName);
        CheckCondition(job.If, ExpressionSite.JobIf);
        CheckTemplatesIn(job.RunsOn, ExpressionSite.JobRunsOn);
        CheckTemplates(job.Env, ExpressionSite.JobEnv);
        CheckTemplate(job.Defaults?.Shell, ExpressionSite.JobDefaultsRun);
        CheckTemplate(job.Defaults?.WorkingDirectory, ExpressionSite.JobDefaultsRun);
        CheckTemplates(job.Outputs, ExpressionSite.JobOutputs);
        CheckTemplate(job.Environment?.Name, ExpressionSite.JobEnvironment);
        CheckTemplate(job.Environment?.Url, ExpressionSite.JobEnvironmentUrl);
        CheckTemplate(job.Concurrency?.Group, ExpressionSite.JobConcurrency);
        CheckTemplate(job.Concurrency?.CancelInProgress, ExpressionSite.JobConcurrency);
        CheckTemplate(job.TimeoutMinutes, ExpressionSite.JobTimeoutMinutes);
        CheckTemplate(job.ContinueOnError, ExpressionSite.JobContinueOnError);
        CheckTemplatesIn(job.With, ExpressionSite.JobWith);
        CheckTemplates(job.Secrets, ExpressionSite.JobSecrets);
        if (job.Strategy is { } strategy)
        {
            CheckTemplatesIn(strategy.Matrix, ExpressionSite.JobStrategy);
            CheckTemplate(strategy.FailFast, ExpressionSite.JobStrategy);
            CheckTemplate(strategy.MaxParallel, ExpressionSite.JobStrategy);
            CheckMatrix(job.Id, strategy.Matrix);
        }

        var stepIds = new Dictionary<string, ScalarToken>(StringComparer.OrdinalIgnoreCase);
        foreach (var step in job.Steps)
        {
            CheckStep(job, step, stepIds);
        }
    }

    private void CheckStep(JobDefinition job, StepDefinition step, Dictionary<string, ScalarToken> stepIds)
    {
        if (step.IdToken is { } id && !id.HasExpression)
        {
            if (stepIds.TryGetValue(id.Value, out var first))
            {
                Error(id.Location, $"step id '{id.Value}' is already used in job '{job.Id}' (line {first.Location.Line})");
            }
            else
            {
                stepIds.Add(id.Value, id);
            }
        }

        if (step.Run is not null && step.Uses is not null)
        {
            Error(step.Location, "a step cannot have both 'run' and 'uses'");
        }
        else if (step.Run is null && step.Uses is null)
        {
            Error(step.Location, "a step needs 'run' (a script) or 'uses' (an action)");
        }

        CheckTemplate(step.Name, ExpressionSite.StepName);
        CheckCondition(step.If, ExpressionSite.StepIf);
        CheckTemplate(step.Run, ExpressionSite.StepRun);
        CheckTemplate(step.Shell, ExpressionSite.StepShell);
        CheckTemplate(step.WorkingDirectory, ExpressionSite.StepWorkingDirectory);
        CheckTemplates(step.Env, ExpressionSite.StepEnv);
        CheckTemplates(step.With, ExpressionSite.StepWith);
        CheckTemplate(step.ContinueOnError, ExpressionSite.StepContinueOnError);
        CheckTemplate(step.TimeoutMinutes, ExpressionSite.StepTimeoutMinutes);

        WarnOfInjection(step.Run, "a script");
        if (step.Uses?.Value.StartsWith("actions/github-script@", StringComparison.OrdinalIgnoreCase) == true)
        {
            foreach (var (name, value) in step.With)
            {
                if (name == "script")
                {
                    WarnOfInjection(value, "a github-script script");
                }
            }
        }
    }

    private void CheckMatrix(string jobId, TemplateToken? matrix)
    {
        if (matrix is not MappingToken map)
        {
            return;
        }

        var vectors = 0;
        var combinations = 1L;
        var hasInclude = false;
        var isStatic = true;
        foreach (var (key, value) in map.Pairs)
        {
            if (key.Value is "include" or "exclude")
            {
                hasInclude |= key.Value == "include" && value is not SequenceToken { Items.Count: 0 };
                isStatic &= value is SequenceToken;
                continue;
            }

            vectors++;
            if (value is SequenceToken sequence)
            {
                if (sequence.Items.Count == 0)
                {
                    Error(value.Location, $"matrix vector '{key.Value}' of job '{jobId}' is empty; give it at least one value");
                }

                combinations = Math.Min(combinations * Math.Max(sequence.Items.Count, 1), int.MaxValue);
            }
            else
            {
                isStatic = false;
            }
        }

        if (vectors == 0 && !hasInclude)
        {
            Error(map.Location, $"the matrix of job '{jobId}' defines no vector and no 'include'");
        }
        else if (isStatic && vectors > 0 && map["include"] is null && map["exclude"] is null && combinations > MaxMatrixJobs)
        {
            Error(map.Location, $"the matrix of job '{jobId}' makes {combinations} jobs; the limit is {MaxMatrixJobs}");
        }
    }

    private void WarnOfInjection(ScalarToken? token, string where)
    {
        if (token is null || !token.HasExpression)
        {
            return;
        }

        foreach (var (offset, path) in UntrustedInputs.Find(token.Value))
        {
            _diagnostics.Add(Diagnostic.Warning(
                token.GetLocation(offset),
                $"'{path}' can be set by anyone who opens an issue or pull request, and is interpolated into {where} where it can inject commands; pass it through 'env:' and use the variable instead"));
        }
    }

    private void CheckTemplates(IReadOnlyList<KeyValuePair<string, ScalarToken>> values, ExpressionSite site)
    {
        foreach (var (_, value) in values)
        {
            CheckTemplate(value, site);
        }
    }

    /// <summary>Checks every scalar of a token tree (runs-on lists, matrices, reusable workflow inputs).</summary>
    private void CheckTemplatesIn(TemplateToken? token, ExpressionSite site)
    {
        switch (token)
        {
            case ScalarToken scalar:
                CheckTemplate(scalar, site);
                break;
            case SequenceToken sequence:
                foreach (var item in sequence.Items)
                {
                    CheckTemplatesIn(item, site);
                }

                break;
            case MappingToken map:
                foreach (var (key, value) in map.Pairs)
                {
                    CheckTemplate(key, site);
                    CheckTemplatesIn(value, site);
                }

                break;
        }
    }

    private void CheckTemplate(ScalarToken? token, ExpressionSite site)
    {
        if (token is null || !token.HasExpression)
        {
            return;
        }

        if (!ExpressionTemplate.TryParse(token.Value, ContextAvailability.ParseOptions(site), out _, out var error))
        {
            ReportExpressionError(token, error, site);
        }
    }

    private void CheckCondition(ScalarToken? token, ExpressionSite site)
    {
        if (token is null)
        {
            return;
        }

        if (!ExpressionParser.TryParseCondition(token.Value, ContextAvailability.ParseOptions(site), out _, out var error))
        {
            ReportExpressionError(token, error, site);
        }
    }

    private void ReportExpressionError(ScalarToken token, ExpressionError error, ExpressionSite site)
    {
        var offset = Math.Max(error.Position - 1, 0);
        Error(token.GetLocation(offset), WithHint(error.Message, site));
    }

    /// <summary>
    /// GitHub's message, with a hint before its "Located at" part when a known context or function is
    /// merely not available at this key.
    /// </summary>
    private static string WithHint(string message, ExpressionSite site)
    {
        string? hint = null;
        if (QuotedName(message, "Unrecognized named-value: '") is { } context && AllContexts.Contains(context, StringComparer.OrdinalIgnoreCase))
        {
            hint = $"'{context}' is not available in {ContextAvailability.KeyName(site)}, which may use {string.Join(", ", ContextAvailability.Contexts(site))}";
        }
        else if (QuotedName(message, "Unrecognized function: '") is { } function)
        {
            if (StatusFunctions.Contains(function, StringComparer.OrdinalIgnoreCase))
            {
                hint = $"{function}() can only be used in the 'if' of a job or step";
            }
            else if (string.Equals(function, "hashFiles", StringComparison.OrdinalIgnoreCase))
            {
                hint = "hashFiles() can only be used in the keys of a step";
            }
        }

        if (hint is null)
        {
            return message;
        }

        var located = message.IndexOf(". Located at position", StringComparison.Ordinal);
        return located < 0 ? $"{message} ({hint})" : $"{message[..located]}; {hint}{message[located..]}";
    }

    private static string? QuotedName(string message, string prefix)
    {
        if (!message.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = message.IndexOf('\'', prefix.Length);
        return end < 0 ? null : message[prefix.Length..end];
    }

    internal void Error(SourceLocation at, string message) => _diagnostics.Add(Diagnostic.Error(at, message));
}
