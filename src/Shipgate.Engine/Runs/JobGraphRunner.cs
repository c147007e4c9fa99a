using System.Text.RegularExpressions;
using Shipgate.Core.Expressions;
using Shipgate.Core.Workflows;
using Shipgate.Engine.Contexts;
using Shipgate.Engine.Matrix;
using Shipgate.Engine.Reusable;
using Shipgate.Engine.Steps;

namespace Shipgate.Engine.Runs;

/// <summary>
/// Runs the jobs of one workflow as their <c>needs</c> allow, each as soon as its needs are done: the
/// job's <c>if:</c> (default success() over its ancestors), its matrix legs with max-parallel and
/// fail-fast, and the aggregate result its dependents see. A resumed run's completed job instances
/// (<see cref="RunContext.CompletedJobs"/>) are taken as done: a job completed as a whole is not looked
/// at again, a matrix job runs only its unfinished legs, and a called workflow its unfinished jobs.
/// </summary>
internal static partial class JobGraphRunner
{
    public static async Task<IReadOnlyDictionary<string, JobAggregate>> RunAsync(RunContext run, WorkflowScope scope, IReadOnlyList<JobDefinition> jobs, CancellationToken cancellationToken)
    {
        var results = new Dictionary<string, JobAggregate>(StringComparer.OrdinalIgnoreCase);
        var ids = new HashSet<string>(jobs.Select(j => j.Id), StringComparer.OrdinalIgnoreCase);
        var pending = jobs.ToList();
        var running = new Dictionary<Task<JobAggregate>, JobDefinition>();
        while (pending.Count > 0 || running.Count > 0)
        {
            foreach (var job in pending.ToList())
            {
                if (job.Needs.FirstOrDefault(n => !ids.Contains(n)) is { } unknown)
                {
                    pending.Remove(job);
                    var result = await JobRunner.NotRunAsync(run, job, scope.KeyPrefix + job.Id, scope.NamePrefix + job.Id, Conclusion.Failure, $"job {job.Id} needs '{unknown}', which is not a job of the run").ConfigureAwait(false);
                    results[job.Id] = new JobAggregate(result.Conclusion, new ObjectValue());
                }
                else if (job.Needs.All(results.ContainsKey))
                {
                    pending.Remove(job);
                    var snapshot = new Dictionary<string, JobAggregate>(results, StringComparer.OrdinalIgnoreCase);
                    running[Task.Run(() => RunJobAsync(run, scope, job, jobs, snapshot, cancellationToken), CancellationToken.None)] = job;
                }
            }

            if (running.Count == 0)
            {
                // What is left waits on itself: a cycle (validation reports it; here it must not hang).
                foreach (var job in pending)
                {
                    var result = await JobRunner.NotRunAsync(run, job, scope.KeyPrefix + job.Id, scope.NamePrefix + job.Id, Conclusion.Failure, $"job {job.Id} is part of a cycle in needs").ConfigureAwait(false);
                    results[job.Id] = new JobAggregate(result.Conclusion, new ObjectValue());
                }

                break;
            }

            var done = await Task.WhenAny(running.Keys).ConfigureAwait(false);
            results[running[done].Id] = await done.ConfigureAwait(false);
            running.Remove(done);
        }

        return results;
    }

    private static async Task<JobAggregate> RunJobAsync(RunContext run, WorkflowScope scope, JobDefinition job, IReadOnlyList<JobDefinition> jobs, Dictionary<string, JobAggregate> results, CancellationToken cancellationToken)
    {
        var needs = new ObjectValue();
        foreach (var need in job.Needs)
        {
            var entry = new ObjectValue();
            entry.Set("result", ExpressionValue.FromString(StepExecutor.Name(results[need].Result)));
            entry.Set("outputs", results[need].Outputs);
            needs.Set(need, entry);
        }

        var key = scope.KeyPrefix + job.Id;
        if (run.Detached)
        {
            // The host went away: no job starts, not even an always() one (the host resumes the run later).
            return new JobAggregate(Conclusion.Cancelled, new ObjectValue());
        }

        if (run.CompletedJobs.TryGetValue(key, out var completed))
        {
            // Completed before the run was resumed: done as recorded, whatever its condition says now.
            var restored = Restore(run, key, completed);
            return new JobAggregate(restored.Conclusion, ValueConversion.FromStrings(restored.Outputs));
        }

        var baseName = scope.NamePrefix + (job.Name?.Value ?? job.Id);
        var github = GithubContextBuilder.With(scope.Github, ("job", job.Id));
        var runCancelled = run.RunCancellation.IsCancellationRequested;
        var ancestors = Ancestors(job, jobs).Select(a => results[a].Result).ToList();
        var context = new EvaluationContext
        {
            Contexts = new Dictionary<string, ExpressionValue>(StringComparer.OrdinalIgnoreCase)
            {
                ["github"] = github,
                ["needs"] = needs,
                ["vars"] = run.Variables,
                ["inputs"] = scope.Inputs,
            },
            Status = runCancelled ? JobStatus.Cancelled : ancestors.Contains(Conclusion.Failure) ? JobStatus.Failure : JobStatus.Success,
        };

        bool shouldRun;
        try
        {
            // A skipped or cancelled ancestor makes success() false without making failure() true: then
            // only a condition with a status function other than success() can hold.
            if (context.Status == JobStatus.Success && !ancestors.All(r => r == Conclusion.Success))
            {
                shouldRun = run.Evaluator.UsesStatusFunction(job.If) && !IsPlainSuccess(job.If) && run.Evaluator.EvaluateCondition(job.If, context);
            }
            else
            {
                shouldRun = run.Evaluator.EvaluateCondition(job.If, context);
            }
        }
        catch (WorkflowEvaluationException ex)
        {
            var failed = await JobRunner.NotRunAsync(run, job, key, baseName, Conclusion.Failure, ex.Message).ConfigureAwait(false);
            return new JobAggregate(failed.Conclusion, new ObjectValue());
        }

        if (!shouldRun)
        {
            var conclusion = runCancelled ? Conclusion.Cancelled : Conclusion.Skipped;
            var skipped = await JobRunner.NotRunAsync(run, job, key, baseName, conclusion, runCancelled ? "The run was cancelled." : "The job's condition was false.").ConfigureAwait(false);
            return new JobAggregate(skipped.Conclusion, new ObjectValue());
        }

        // A job that runs after the run was cancelled (if: always()) runs to its end; only its timeouts stop it.
        var jobToken = runCancelled ? CancellationToken.None : cancellationToken;
        IReadOnlyList<ObjectValue>? legs = null;
        bool failFast;
        int maxParallel;
        try
        {
            if (job.Strategy?.Matrix is { } matrixToken)
            {
                var matrix = run.Evaluator.EvaluateValue(matrixToken, context);
                if (!MatrixExpander.TryExpand(matrix, out legs, out var error))
                {
                    throw new WorkflowEvaluationException($"{matrixToken.Location}: {error}");
                }
            }

            failFast = run.Evaluator.EvaluateBoolean(job.Strategy?.FailFast, context, defaultValue: true);
            var legCount = legs?.Count ?? 1;
            maxParallel = job.Strategy?.MaxParallel is { } max
                ? (int)Math.Clamp(run.Evaluator.EvaluateMinutes(max, context)!.Value.TotalMinutes, 1, legCount)
                : legCount;
        }
        catch (WorkflowEvaluationException ex)
        {
            var failed = await JobRunner.NotRunAsync(run, job, key, baseName, Conclusion.Failure, ex.Message).ConfigureAwait(false);
            return new JobAggregate(failed.Conclusion, new ObjectValue());
        }

        using var failFastCancel = CancellationTokenSource.CreateLinkedTokenSource(jobToken);
        using var parallel = new SemaphoreSlim(maxParallel);
        var outputs = new ObjectValue();
        var legResults = new List<Conclusion>();
        var legTasks = new List<Task>();
        var total = legs?.Count ?? 1;
        string LegKey(int index) => legs is null ? key : $"{key}[{index}]";

        // A resumed matrix job runs only its unfinished legs; a leg that failed before fails fast as it would have.
        if (failFast && Enumerable.Range(0, total).Any(i => run.CompletedJobs.TryGetValue(LegKey(i), out var leg) && leg.Conclusion == Conclusion.Failure))
        {
            await failFastCancel.CancelAsync().ConfigureAwait(false);
        }

        for (var index = 0; index < total; index++)
        {
            var strategy = new ObjectValue();
            strategy.Set("fail-fast", ExpressionValue.FromBoolean(failFast));
            strategy.Set("job-index", ExpressionValue.FromNumber(index));
            strategy.Set("job-total", ExpressionValue.FromNumber(total));
            strategy.Set("max-parallel", ExpressionValue.FromNumber(maxParallel));
            var values = legs?[index];
            var leg = new JobLeg(
                LegKey(index),
                LegName(run, scope, job, github, needs, strategy, values),
                values ?? ExpressionValue.Null,
                strategy,
                values is null ? null : ExpressionJson.ToJson(values, indented: false));
            legTasks.Add(RunLegAsync(leg));
        }

        await Task.WhenAll(legTasks).ConfigureAwait(false);
        var aggregate = legResults.Contains(Conclusion.Failure) ? Conclusion.Failure
            : legResults.Contains(Conclusion.Cancelled) ? Conclusion.Cancelled
            : legResults.All(r => r == Conclusion.Skipped) ? Conclusion.Skipped
            : Conclusion.Success;
        return new JobAggregate(aggregate, outputs);

        async Task RunLegAsync(JobLeg leg)
        {
            var result = run.CompletedJobs.TryGetValue(leg.Key, out var done) ? Restore(run, leg.Key, done) : await StartLegAsync(leg).ConfigureAwait(false);
            lock (legResults)
            {
                legResults.Add(result.Conclusion);

                // Legs write the job's outputs in the order they finish; a later non-empty value wins.
                foreach (var output in result.Outputs)
                {
                    if (output.Value.Length > 0 || !outputs.TryGetValue(output.Key, out _))
                    {
                        outputs.Set(output.Key, ExpressionValue.FromString(output.Value));
                    }
                }
            }

            if (failFast && result.Conclusion == Conclusion.Failure)
            {
                await failFastCancel.CancelAsync().ConfigureAwait(false);
            }
        }

        async Task<JobRunResult> StartLegAsync(JobLeg leg)
        {
            JobRunResult result;
            var entered = false;
            try
            {
                await parallel.WaitAsync(failFastCancel.Token).ConfigureAwait(false);
                entered = true;
            }
            catch (OperationCanceledException)
            {
            }

            try
            {
                if (!entered)
                {
                    result = await JobRunner.NotRunAsync(run, job, leg.Key, leg.Name, Conclusion.Cancelled, "The job was cancelled before it started.").ConfigureAwait(false);
                }
                else if (job.Uses is not null)
                {
                    result = await ReusableWorkflowRunner.RunAsync(run, scope, job, leg, needs, failFastCancel.Token).ConfigureAwait(false);
                }
                else
                {
                    result = await JobRunner.RunAsync(run, scope, job, leg, needs, failFastCancel.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                if (entered)
                {
                    parallel.Release();
                }
            }

            return result;
        }
    }

    /// <summary>A job instance completed before the run was resumed: in the run's results as recorded, its events not published again.</summary>
    private static JobRunResult Restore(RunContext run, string key, CompletedJob completed)
    {
        var result = new JobRunResult
        {
            Key = key,
            JobId = completed.JobId,
            Name = completed.Name,
            Outcome = completed.Outcome,
            Conclusion = completed.Conclusion,
            Reason = completed.Reason,
            Outputs = completed.Outputs,
            MatrixJson = completed.MatrixJson,
            Steps = [],
        };
        run.Jobs.Enqueue(result);
        return result;
    }

    /// <summary>
    /// A leg's display name: the job's name (evaluated), with the matrix values appended in parentheses
    /// unless the name already uses the matrix, as GitHub names legs: <c>build (18, ubuntu)</c>.
    /// </summary>
    private static string LegName(RunContext run, WorkflowScope scope, JobDefinition job, ObjectValue github, ObjectValue needs, ObjectValue strategy, ObjectValue? matrix)
    {
        var name = job.Id;
        if (job.Name is { } token)
        {
            try
            {
                var leg = new JobLeg("", "", matrix ?? ExpressionValue.Null, strategy, null);
                name = run.Evaluator.EvaluateString(token, JobRunner.JobContexts(run, scope, github, needs, leg));
            }
            catch (WorkflowEvaluationException)
            {
                name = token.Value;
            }
        }

        if (matrix is not null && matrix.Count > 0 && (job.Name is null || !MatrixReference().IsMatch(job.Name.Value)))
        {
            name += $" ({MatrixExpander.DisplaySuffix(matrix)})";
        }

        // The name may use secrets: it is shown, stored and used for file names masked.
        return run.Masker.Mask(scope.NamePrefix + name);
    }

    /// <summary>True when the condition is absent or only success(), written in any of the usual ways.</summary>
    private static bool IsPlainSuccess(ScalarToken? condition)
    {
        var text = condition?.Value.Trim() ?? "";
        if (text.StartsWith("${{", StringComparison.Ordinal) && text.EndsWith("}}", StringComparison.Ordinal))
        {
            text = text[3..^2].Trim();
        }

        return text.Length == 0 || text.Equals("success()", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Every job this job needs, directly or through others.</summary>
    private static HashSet<string> Ancestors(JobDefinition job, IReadOnlyList<JobDefinition> jobs)
    {
        var result = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var queue = new Queue<string>(job.Needs);
        while (queue.TryDequeue(out var id))
        {
            if (result.Add(id) && jobs.FirstOrDefault(j => string.Equals(j.Id, id, StringComparison.OrdinalIgnoreCase)) is { } need)
            {
                foreach (var next in need.Needs)
                {
                    queue.Enqueue(next);
                }
            }
        }

        return result;
    }

    [GeneratedRegex(@"\bmatrix\b", RegexOptions.IgnoreCase)]
    private static partial Regex MatrixReference();
}
