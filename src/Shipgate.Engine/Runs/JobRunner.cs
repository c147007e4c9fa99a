using Shipgate.Core.Expressions;
using Shipgate.Core.Workflows;
using Shipgate.Engine.Contexts;
using Shipgate.Engine.LocalActions;
using Shipgate.Engine.Logging;
using Shipgate.Engine.Sandbox;
using Shipgate.Engine.Steps;

namespace Shipgate.Engine.Runs;

/// <summary>
/// Runs one job instance (a job or a matrix leg) on the host: its runner labels, concurrency group and
/// host slot, env and defaults, steps, post steps in reverse order, and outputs at the end.
/// </summary>
internal static class JobRunner
{
    /// <summary>GitHub's default timeout-minutes of a job.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(360);

    public static async Task<JobRunResult> RunAsync(RunContext run, WorkflowScope scope, JobDefinition job, JobLeg leg, ObjectValue needs, CancellationToken cancellationToken)
    {
        var started = run.Time.GetUtcNow();
        await PublishStartedAsync(run, scope, job, leg, needs).ConfigureAwait(false);

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, run.Request.Detach);
        string jobDirectory;
        string? failure = null;
        try
        {
            jobDirectory = run.CreateJobDirectory(leg.Key);
            foreach (var name in (string[])["workspace", "temp", "logs"])
            {
                Directory.CreateDirectory(Path.Combine(jobDirectory, name));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The data folder cannot be written (read-only, full): the job fails and says so, and the run goes on to its end.
            jobDirectory = Path.Combine(run.RunDirectory, "jobs", RunContext.Slug(leg.Key));
            failure = run.DataFolderFailure(ex);
        }

        var workspace = Path.Combine(jobDirectory, "workspace");
        var temp = Path.Combine(jobDirectory, "temp");
        var logs = Path.Combine(jobDirectory, "logs");
        var home = Path.Combine(jobDirectory, "home");

        var github = GithubContextBuilder.With(scope.Github, ("job", job.Id), ("workspace", workspace));
        var runner = GithubContextBuilder.BuildRunner(run, temp);
        var jobContext = JobContexts(run, scope, github, needs, leg);
        IDisposable? lease = null;
        var holdsSlot = false;
        JobState? state = null;
        JobSandbox? sandbox = null;
        var cancelled = false;
        var continueOnError = false;
        var outputs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        CancellationTokenSource? timeout = null;
        JobGateRequest? gated = null;
        try
        {
            if (failure is not null)
            {
                // Without its directories nothing of the job can run.
            }
            else if (job.Container is not null || job.Services is not null)
            {
                failure = $"job {job.Id} uses a container/services, which needs Docker; Shipgate runs jobs on the host";
            }
            else if (job.RunsOn is null)
            {
                failure = $"job {job.Id} has no runs-on";
            }
            else if (RunnerLabelMatcher.Mismatch(run.Evaluator.EvaluateValue(job.RunsOn, jobContext), run.Options) is { } mismatch)
            {
                failure = $"job {job.Id} cannot run: {mismatch}";
            }
            else
            {
                if (job.Concurrency is { } concurrency)
                {
                    var group = run.Evaluator.EvaluateString(concurrency.Group, jobContext);
                    var cancelInProgress = run.Evaluator.EvaluateBoolean(concurrency.CancelInProgress, jobContext);
                    lease = await run.Concurrency.EnterAsync(group, cancelInProgress, cancel.Cancel, cancel.Token).ConfigureAwait(false);
                    if (lease is null)
                    {
                        cancelled = true;
                        failure = $"Canceling since a higher priority waiting request for '{group}' exists.";
                    }
                }

                // The environment's gate comes before the host slot: a job waiting for people holds no slot.
                var jobScope = scope;
                var variables = run.Variables;
                if (!cancelled && run.Request.JobGate is { } gate && EnvironmentName(run, scope, job, leg, needs) is { Length: > 0 } environment)
                {
                    var request = JobGateEntry.Request(run, job, leg, environment);
                    var entry = await JobGateEntry.EnterAsync(run, gate, request, scope, cancel.Token).ConfigureAwait(false);
                    (jobScope, variables, failure) = (entry.Scope, entry.Variables, entry.Failure);
                    gated = failure is null ? request : null;
                    jobContext = JobContexts(run, jobScope, github, needs, leg, variables);
                }

                if (!cancelled && failure is null)
                {
                    await run.HostSlots.WaitAsync(cancel.Token).ConfigureAwait(false);
                    holdsSlot = true;
                    var timeoutMinutes = run.Evaluator.EvaluateMinutes(job.TimeoutMinutes, jobContext) ?? DefaultTimeout;
                    timeout = new CancellationTokenSource(timeoutMinutes, run.Time);
                    continueOnError = run.Evaluator.EvaluateBoolean(job.ContinueOnError, jobContext);
                    if (run.Options.Sandbox is { } isolation)
                    {
                        Directory.CreateDirectory(home);
                        var layout = new JobSandboxLayout(run.DataDirectory, workspace, temp, home, run.ToolCache, run.EventPath);
                        sandbox = await isolation.StartJobAsync(layout, cancel.Token).ConfigureAwait(false);
                    }

                    state = new JobState
                    {
                        Run = run,
                        Scope = jobScope,
                        Variables = variables,
                        Job = job,
                        EnvironmentName = EnvironmentName(run, jobScope, job, leg, needs),
                        Key = leg.Key,
                        Name = leg.Name,
                        Workspace = workspace,
                        Temp = temp,
                        Home = sandbox is null ? null : home,
                        Sandbox = sandbox,
                        LogDirectory = logs,
                        SummaryPath = Path.Combine(jobDirectory, "summary.md"),
                        Github = github,
                        Runner = runner,
                        Matrix = leg.Matrix,
                        Strategy = leg.Strategy,
                        Needs = needs,
                        Cancel = cancel,
                        Timeout = timeout,
                    };
                    SetEnvironmentAndDefaults(state, jobContext);
                    await RunStepsAsync(state).ConfigureAwait(false);
                    await RunPostStepsAsync(state).ConfigureAwait(false);
                    EvaluateOutputs(state, outputs);
                    if (state.Timeout.IsCancellationRequested && !cancel.IsCancellationRequested)
                    {
                        failure = $"The job exceeded its timeout of {StepExecutor.FormatMinutes(timeoutMinutes)} and timed out.";
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            cancelled = true;
        }
        catch (WorkflowEvaluationException ex)
        {
            failure = ex.Message;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            failure = run.DataFolderFailure(ex);
        }
        catch (SandboxException ex)
        {
            failure = ex.Message;
        }
        finally
        {
            if (state is not null)
            {
                // What the steps left running in the background ends with the job ("Cleaning up orphan processes").
                await state.Tracker.KillRemainingAsync(TimeSpan.FromSeconds(2), run.Time, CancellationToken.None).ConfigureAwait(false);
            }

            if (sandbox is not null)
            {
                // And what hid from the tracker (a daemon that cleared RUNNER_TRACKING_ID) dies with the namespace.
                await sandbox.DisposeAsync().ConfigureAwait(false);
                TryDelete(home);
            }

            if (holdsSlot)
            {
                run.HostSlots.Release();
            }

            lease?.Dispose();
            timeout?.Dispose();
            TryDelete(temp);
        }

        Conclusion outcome;
        string? reason;
        if (cancelled || (failure is null && cancel.IsCancellationRequested))
        {
            outcome = Conclusion.Cancelled;
            reason = failure ?? "The job was cancelled.";
        }
        else if (failure is not null || state?.AnyStepFailed == true)
        {
            outcome = Conclusion.Failure;
            reason = failure ?? state!.FailureReason;
        }
        else
        {
            outcome = Conclusion.Success;
            reason = null;
        }

        var conclusion = outcome == Conclusion.Failure && continueOnError ? Conclusion.Success : outcome;
        var result = new JobRunResult
        {
            Key = leg.Key,
            JobId = job.Id,
            Name = leg.Name,
            Outcome = outcome,
            Conclusion = conclusion,
            Reason = reason,
            Outputs = outputs,
            MatrixJson = leg.MatrixJson,
            Steps = state?.StepResults ?? [],
        };
        // A detached job stays in its gate, as after a crash: the host's next run of it finds its approval and deployment.
        if (gated is not null && !run.Detached)
        {
            await run.Request.JobGate!.LeaveAsync(gated, result, CancellationToken.None).ConfigureAwait(false);
        }

        await PublishFinishedAsync(run, result, run.Time.GetUtcNow() - started).ConfigureAwait(false);
        return result;
    }

    /// <summary>Reports a job that never ran (skipped by its <c>if:</c>, or cancelled before it started).</summary>
    public static async Task<JobRunResult> NotRunAsync(RunContext run, JobDefinition job, string key, string name, Conclusion conclusion, string reason)
    {
        var result = new JobRunResult
        {
            Key = key,
            JobId = job.Id,
            Name = name,
            Outcome = conclusion,
            Conclusion = conclusion,
            Reason = reason,
            Outputs = new Dictionary<string, string>(),
            Steps = [],
        };
        await PublishFinishedAsync(run, result, TimeSpan.Zero).ConfigureAwait(false);
        return result;
    }

    /// <summary>The contexts of job-level keys (runs-on, env, concurrency, timeout-minutes...).</summary>
    public static EvaluationContext JobContexts(RunContext run, WorkflowScope scope, ObjectValue github, ObjectValue needs, JobLeg leg, ObjectValue? variables = null) => new()
    {
        Contexts = new Dictionary<string, ExpressionValue>(StringComparer.OrdinalIgnoreCase)
        {
            ["github"] = github,
            ["needs"] = needs,
            ["strategy"] = leg.Strategy,
            ["matrix"] = leg.Matrix,
            ["vars"] = variables ?? run.Variables,
            ["secrets"] = scope.Secrets,
            ["inputs"] = scope.Inputs,
        },
    };

    public static Task PublishStartedAsync(RunContext run, WorkflowScope scope, JobDefinition job, JobLeg leg, ObjectValue needs)
    {
        string? environment;
        try
        {
            environment = EnvironmentName(run, scope, job, leg, needs);
        }
        catch (WorkflowEvaluationException)
        {
            environment = job.Environment?.Name?.Value;
        }

        return run.Events.PublishAsync((sequence, time) => new JobStartedEvent
        {
            RunId = run.RunId,
            Sequence = sequence,
            Timestamp = time,
            JobKey = leg.Key,
            JobId = job.Id,
            Name = leg.Name,
            Environment = environment,
            MatrixJson = leg.MatrixJson,
        }, CancellationToken.None);
    }

    public static async Task PublishFinishedAsync(RunContext run, JobRunResult result, TimeSpan duration)
    {
        run.Jobs.Enqueue(result with { Reason = RunEvent.Mask(run.Masker, result.Reason) });
        await run.Events.PublishAsync((sequence, time) => new JobFinishedEvent
        {
            RunId = run.RunId,
            Sequence = sequence,
            Timestamp = time,
            JobKey = result.Key,
            JobId = result.JobId,
            Name = result.Name,
            Outcome = result.Outcome,
            Conclusion = result.Conclusion,
            Reason = result.Reason,
            Outputs = result.Outputs,
            Duration = duration,
        }, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// The job's <c>environment</c> name (of either form), evaluated with the job's contexts; null without one.
    /// Throws <see cref="WorkflowEvaluationException"/> when it cannot be evaluated.
    /// </summary>
    public static string? EnvironmentName(RunContext run, WorkflowScope scope, JobDefinition job, JobLeg leg, ObjectValue needs) =>
        job.Environment?.Name is { } name
            ? run.Evaluator.EvaluateString(name, JobContexts(run, scope, GithubContextBuilder.With(scope.Github, ("job", job.Id)), needs, leg))
            : null;

    private static void SetEnvironmentAndDefaults(JobState state, EvaluationContext jobContext)
    {
        var evaluator = state.Run.Evaluator;
        var workflowContext = new EvaluationContext
        {
            Contexts = new Dictionary<string, ExpressionValue>(StringComparer.OrdinalIgnoreCase)
            {
                ["github"] = state.Github,
                ["secrets"] = state.Scope.Secrets,
                ["inputs"] = state.Scope.Inputs,
                ["vars"] = state.Variables,
            },
        };
        foreach (var pair in state.Scope.Workflow.Env)
        {
            state.Env[pair.Key] = evaluator.EvaluateString(pair.Value, workflowContext);
        }

        foreach (var pair in state.Job.Env)
        {
            state.Env[pair.Key] = evaluator.EvaluateString(pair.Value, jobContext);
        }

        var jobDefaults = state.Job.Defaults;
        var workflowDefaults = state.Scope.Workflow.Defaults;
        var shell = jobDefaults?.Shell ?? workflowDefaults?.Shell;
        var directory = jobDefaults?.WorkingDirectory ?? workflowDefaults?.WorkingDirectory;
        state.DefaultShell = shell is null ? null : evaluator.EvaluateString(shell, jobContext);
        state.DefaultWorkingDirectory = directory is null ? null : evaluator.EvaluateString(directory, jobContext);
    }

    private static async Task RunStepsAsync(JobState state)
    {
        var scope = new StepScope { Job = state, Steps = state.Steps, Inputs = state.Scope.Inputs };
        await NodeActionRunner.RunPreStepsAsync(scope, (name, body) => RunOneAsync(state, ++state.StepCount, null, name, body)).ConfigureAwait(false);
        foreach (var step in state.Job.Steps)
        {
            var number = ++state.StepCount;
            bool shouldRun;
            string? conditionError = null;
            var afterCancel = scope.Status == JobStatus.Cancelled;
            try
            {
                shouldRun = StepExecutor.ShouldRun(step, scope);
            }
            catch (WorkflowEvaluationException ex)
            {
                shouldRun = false;
                conditionError = ex.Message;
            }

            var name = StepExecutor.DisplayName(step, scope);
            if (conditionError is not null)
            {
                scope.AnyFailed = true;
                StepExecutor.Record(scope, step.Id, Conclusion.Failure, Conclusion.Failure, new Dictionary<string, string>());
                await ReportNotRunAsync(state, number, step.Id, name, Conclusion.Failure, conditionError).ConfigureAwait(false);
            }
            else if (!shouldRun)
            {
                StepExecutor.Record(scope, step.Id, Conclusion.Skipped, Conclusion.Skipped, new Dictionary<string, string>());
                await ReportNotRunAsync(state, number, step.Id, name, Conclusion.Skipped, null).ConfigureAwait(false);
            }
            else
            {
                await RunOneAsync(state, number, step.Id, name, sink => StepExecutor.RunAsync(step, scope, sink, afterCancel)).ConfigureAwait(false);
            }

            state.AnyStepFailed |= scope.AnyFailed;
        }
    }

    private static async Task RunPostStepsAsync(JobState state)
    {
        while (state.PostSteps.TryPop(out var post))
        {
            var number = ++state.StepCount;
            bool shouldRun;
            try
            {
                var context = state.CreateContext(post.Scope, post.Scope.BaseEnv(), state.Github, state.Status);
                shouldRun = state.Run.Evaluator.EvaluateCondition(post.Condition, context);
            }
            catch (WorkflowEvaluationException ex)
            {
                state.AnyStepFailed = true;
                await ReportNotRunAsync(state, number, null, post.Name, Conclusion.Failure, ex.Message).ConfigureAwait(false);
                continue;
            }

            if (!shouldRun)
            {
                await ReportNotRunAsync(state, number, null, post.Name, Conclusion.Skipped, null).ConfigureAwait(false);
                continue;
            }

            await RunOneAsync(state, number, null, post.Name, async sink =>
            {
                var body = await StepExecutor.RunWithTimeoutAsync(null, state, CancellationToken.None, state.Status == JobStatus.Cancelled, token => post.RunAsync(sink, token)).ConfigureAwait(false);
                if (body.Outcome == Conclusion.Failure)
                {
                    if (body.Reason is not null)
                    {
                        sink.Annotate(AnnotationLevel.Error, body.Reason);
                    }

                    state.AnyStepFailed = true;
                }

                return new StepOutcome(body.Outcome, body.Outcome, body.Reason, new Dictionary<string, string>());
            }).ConfigureAwait(false);
        }
    }

    private static async Task RunOneAsync(JobState state, int number, string? id, string name, Func<StepOutputSink, Task<StepOutcome>> body)
    {
        var run = state.Run;
        var logPath = Path.Combine(state.LogDirectory, $"{number:D2}-{RunContext.Slug(name)}.log");
        var started = run.Time.GetUtcNow();
        await run.Events.PublishAsync((sequence, time) => new StepStartedEvent
        {
            RunId = run.RunId,
            Sequence = sequence,
            Timestamp = time,
            JobKey = state.Key,
            StepNumber = number,
            StepId = id,
            Name = name,
            LogPath = logPath,
        }, CancellationToken.None).ConfigureAwait(false);

        StepOutcome outcome;
        if (run.Detached)
        {
            // The host went away: no step starts a process it could not record.
            outcome = new StepOutcome(Conclusion.Cancelled, Conclusion.Cancelled, null, new Dictionary<string, string>());
        }
        else
        {
            try
            {
                using var sink = new StepOutputSink(run, state.Key, number, new StepLogWriter(logPath, run.Time));
                outcome = await body(sink).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The data folder cannot be written (its log, its script): the step fails and says so, so it does not stay in progress.
                state.AnyStepFailed = true;
                outcome = new StepOutcome(Conclusion.Failure, Conclusion.Failure, run.DataFolderFailure(ex), new Dictionary<string, string>());
            }
        }

        await FinishStepAsync(state, new StepRunResult(number, id, name, outcome.Outcome, outcome.Conclusion, outcome.Reason, logPath), run.Time.GetUtcNow() - started).ConfigureAwait(false);
    }

    private static Task ReportNotRunAsync(JobState state, int number, string? id, string name, Conclusion conclusion, string? reason) =>
        FinishStepAsync(state, new StepRunResult(number, id, name, conclusion, conclusion, reason, null), TimeSpan.Zero);

    /// <summary>Records a step's result in its job (the job's failure reason is its first failed step) and publishes step.finished.</summary>
    private static async Task FinishStepAsync(JobState state, StepRunResult result, TimeSpan duration)
    {
        var run = state.Run;
        result = result with { Reason = RunEvent.Mask(run.Masker, result.Reason) };
        if (result.Conclusion == Conclusion.Failure && state.FailureReason is null)
        {
            state.FailureReason = $"Step '{result.Name}' failed: {result.Reason ?? "it failed"}";
        }

        state.StepResults.Add(result);
        await run.Events.PublishAsync((sequence, time) => new StepFinishedEvent
        {
            RunId = run.RunId,
            Sequence = sequence,
            Timestamp = time,
            JobKey = state.Key,
            StepNumber = result.Number,
            StepId = result.Id,
            Name = result.Name,
            Outcome = result.Outcome,
            Conclusion = result.Conclusion,
            Reason = result.Reason,
            Duration = duration,
        }, CancellationToken.None).ConfigureAwait(false);
    }

    private static void EvaluateOutputs(JobState state, Dictionary<string, string> outputs)
    {
        if (state.Job.Outputs.Count == 0)
        {
            return;
        }

        var scope = new StepScope { Job = state, Steps = state.Steps, Inputs = state.Scope.Inputs };
        var context = state.CreateContext(scope, state.Env, state.Github);
        foreach (var pair in state.Job.Outputs)
        {
            var value = state.Run.Evaluator.EvaluateString(pair.Value, context);

            // GitHub drops an output that contains a secret rather than pass it to other jobs.
            if (state.Run.Masker.Mask(value) != value)
            {
                state.Run.Events.Post((sequence, time) => new StepAnnotationEvent
                {
                    RunId = state.Run.RunId,
                    Sequence = sequence,
                    Timestamp = time,
                    JobKey = state.Key,
                    StepNumber = 0,
                    Level = AnnotationLevel.Warning,
                    Message = $"Skip output '{pair.Key}' since it may contain secret.",
                });
                continue;
            }

            outputs[pair.Key] = value;
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover process may still hold a file; the run directory keeps it.
        }
    }
}
