using System.Collections;
using System.Globalization;
using System.Security.Cryptography;
using Shipgate.Core.Expressions;
using Shipgate.Core.Workflows;
using Shipgate.Engine.Actions;
using Shipgate.Engine.Contexts;
using Shipgate.Engine.Masking;
using Shipgate.Engine.Processes;
using Shipgate.Engine.Steps;

namespace Shipgate.Engine.Runs;

/// <summary>
/// Runs a workflow on the host with GitHub Actions' semantics: jobs in parallel as their needs, matrix
/// and the host allow, steps as host processes or built-in and local actions, and every state change
/// published to an <see cref="IRunObserver"/>. One engine serves any number of runs.
/// </summary>
public sealed class RunEngine
{
    private readonly RunEngineOptions _options;
    private readonly BuiltinActionRegistry _builtins;
    private readonly ProcessRunner _processes;
    private readonly SemaphoreSlim _hostSlots;

    /// <param name="options">How the host runs jobs; null for the defaults.</param>
    /// <param name="builtinActions">The built-in actions, looked up by key; null for <see cref="BuiltinActions.CreateDefault"/>.</param>
    public RunEngine(RunEngineOptions? options = null, IEnumerable<IBuiltinAction>? builtinActions = null)
    {
        _options = options ?? new RunEngineOptions();
        if (_options.MaxParallelJobs < 1)
        {
            throw new ArgumentException("MaxParallelJobs must be at least 1.", nameof(options));
        }

        _builtins = new BuiltinActionRegistry(builtinActions ?? BuiltinActions.CreateDefault().Values);
        _processes = new ProcessRunner();
        _hostSlots = new SemaphoreSlim(_options.MaxParallelJobs);
    }

    /// <summary>The sandbox every job's processes run in; null when they run on the host (<see cref="RunEngineOptions.Sandbox"/>).</summary>
    public Sandbox.StepSandbox? Sandbox => _options.Sandbox;

    /// <summary>
    /// Runs the workflow to its end. A failing job or step is a result, not an exception; cancelling
    /// <paramref name="cancellationToken"/> (Ctrl-C) kills the running steps, runs the steps and jobs
    /// whose <c>if:</c> asks for always() or cancelled(), and ends the run as cancelled.
    /// Throws <see cref="ArgumentException"/> when <see cref="RunRequest.JobFilter"/> names no job.
    /// </summary>
    public async Task<RunResult> RunAsync(RunRequest request, IRunObserver observer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(observer);

        // Detaching stops the run's steps as a cancellation does; what differs (nothing more runs or is published) is checked where it happens.
        using var cancelOrDetach = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, request.Detach);
        cancellationToken = cancelOrDetach.Token;
        var jobs = SelectJobs(request.Workflow, request.JobFilter);
        var time = request.TimeProvider;
        var started = time.GetUtcNow();
        var repository = Path.GetFullPath(request.RepositoryDirectory);
        var dataDirectory = Path.GetFullPath(request.DataDirectory ?? Path.Combine(repository, ".shipgate"));
        var runId = request.RunId ?? NewRunId(time);
        var runDirectory = Path.Combine(dataDirectory, "runs", runId);
        Directory.CreateDirectory(runDirectory);
        var toolCache = Path.Combine(dataDirectory, "tool-cache");
        Directory.CreateDirectory(toolCache);

        var masker = new SecretMasker();
        var secrets = new Dictionary<string, string>(request.Secrets, StringComparer.OrdinalIgnoreCase);

        // Steps that pass secrets.GITHUB_TOKEN on get a value that works nowhere but is masked like a real one.
        secrets.TryAdd("GITHUB_TOKEN", "ghs_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(18)));
        foreach (var secret in secrets.Values)
        {
            masker.AddSecret(secret);
        }

        var git = await GitRepositoryInfo.LoadAsync(repository, request.Ref, request.Sha, request.Actor, cancellationToken).ConfigureAwait(false);
        var workflowPath = RelativeWorkflowPath(repository, request.Workflow.FilePath);
        var payload = EventPayloadBuilder.Build(request.EventName, git, request.Actor, request.Inputs, workflowPath, GithubContextBuilder.ServerUrl);
        var eventPath = Path.Combine(runDirectory, "event.json");
        await File.WriteAllTextAsync(eventPath, masker.Mask(ExpressionJson.ToJson(payload, indented: true)), cancellationToken).ConfigureAwait(false);

        await using var events = new RunEventPublisher(observer, runId, time, masker, request.Detach);
        var run = new RunContext
        {
            Request = request,
            Options = _options,
            RunId = runId,
            DataDirectory = dataDirectory,
            RunDirectory = runDirectory,
            ToolCache = toolCache,
            EventPath = eventPath,
            Git = git,
            EventPayload = payload,
            Variables = ValueConversion.FromStrings(request.Variables),
            HostEnvironment = _options.Sandbox is { } sandbox
                ? await sandbox.CleanEnvironmentAsync(HostEnvironment()).ConfigureAwait(false)
                : HostEnvironment(),
            Evaluator = new ExpressionEvaluator(),
            Events = events,
            Masker = masker,
            Processes = _processes,
            Builtins = _builtins,
            Concurrency = request.ConcurrencyGroups ?? _options.ConcurrencyGroups ?? new ConcurrencyGroups(),
            HostSlots = _hostSlots,
            Artifacts = new RunArtifactRecorder(),
            RunCancellation = cancellationToken,
            CompletedJobs = new Dictionary<string, CompletedJob>(request.CompletedJobs, StringComparer.OrdinalIgnoreCase),
        };

        var scope = CreateTopScope(run, request, workflowPath, secrets);
        var runName = EvaluateRunName(run, scope);
        await events.PublishAsync((sequence, timestamp) => new RunStartedEvent
        {
            RunId = runId,
            Sequence = sequence,
            Timestamp = timestamp,
            WorkflowName = GithubContextBuilder.WorkflowName(scope),
            RunName = runName,
            EventName = request.EventName,
            Ref = git.Ref,
            Sha = git.Sha,
            RunDirectory = runDirectory,
            Jobs = [.. jobs.Select(j => new PlannedJob(j.Id, j.Name?.Value ?? j.Id, j.Needs))],
        }, CancellationToken.None).ConfigureAwait(false);

        using var runCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        IDisposable? lease = null;
        var replaced = false;
        string? failure = null;
        try
        {
            if (request.Workflow.Concurrency is { } concurrency)
            {
                var context = new EvaluationContext
                {
                    Contexts = new Dictionary<string, ExpressionValue>(StringComparer.OrdinalIgnoreCase)
                    {
                        ["github"] = scope.Github,
                        ["inputs"] = scope.Inputs,
                        ["vars"] = run.Variables,
                    },
                };
                var group = run.Evaluator.EvaluateString(concurrency.Group, context);
                var cancelInProgress = run.Evaluator.EvaluateBoolean(concurrency.CancelInProgress, context);
                lease = await run.Concurrency.EnterAsync(group, cancelInProgress, runCancel.Cancel, cancellationToken).ConfigureAwait(false);
                replaced = lease is null;
            }

            if (!replaced)
            {
                await JobGraphRunner.RunAsync(run, scope, jobs, runCancel.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled while the run waited for its concurrency group: no job ran.
        }
        catch (WorkflowEvaluationException ex)
        {
            failure = ex.Message;
        }
        finally
        {
            lease?.Dispose();
        }

        var results = run.Jobs.ToList();
        var conclusion = cancellationToken.IsCancellationRequested || runCancel.IsCancellationRequested || replaced ? Conclusion.Cancelled
            : failure is not null || results.Any(j => j.Conclusion == Conclusion.Failure) ? Conclusion.Failure
            : Conclusion.Success;
        var duration = time.GetUtcNow() - started;
        await events.PublishAsync((sequence, timestamp) => new RunFinishedEvent
        {
            RunId = runId,
            Sequence = sequence,
            Timestamp = timestamp,
            Conclusion = conclusion,
            Reason = failure ?? (replaced ? "Canceling since a higher priority waiting request exists in the run's concurrency group." : null),
            Duration = duration,
        }, CancellationToken.None).ConfigureAwait(false);

        return new RunResult
        {
            RunId = runId,
            Conclusion = conclusion,
            Reason = failure is null ? null : masker.Mask(failure),
            Jobs = results,
            Artifacts = run.Artifacts.Artifacts,
            RunDirectory = runDirectory,
            Duration = duration,
            Detached = request.Detach.IsCancellationRequested,
        };
    }

    /// <summary>The jobs to run: all, or the one named and the jobs it needs, transitively (file order kept).</summary>
    internal static IReadOnlyList<JobDefinition> SelectJobs(WorkflowDefinition workflow, string? filter)
    {
        if (filter is null)
        {
            return workflow.Jobs;
        }

        var target = workflow.FindJob(filter) ?? throw new ArgumentException($"The workflow has no job '{filter}'; its jobs are: {string.Join(", ", workflow.Jobs.Select(j => j.Id))}.", nameof(filter));
        var selected = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var queue = new Queue<JobDefinition>([target]);
        while (queue.TryDequeue(out var job))
        {
            if (selected.Add(job.Id))
            {
                foreach (var need in job.Needs)
                {
                    if (workflow.FindJob(need) is { } needed)
                    {
                        queue.Enqueue(needed);
                    }
                }
            }
        }

        return [.. workflow.Jobs.Where(j => selected.Contains(j.Id))];
    }

    private static WorkflowScope CreateTopScope(RunContext run, RunRequest request, string workflowPath, Dictionary<string, string> secrets)
    {
        var given = request.Inputs.ToDictionary(p => p.Key, p => ExpressionValue.FromString(p.Value), StringComparer.OrdinalIgnoreCase);
        var provisional = new WorkflowScope
        {
            Workflow = request.Workflow,
            Inputs = new ObjectValue(),
            Secrets = ValueConversion.FromStrings(secrets),
            Github = new ObjectValue(),
            WorkflowPath = workflowPath,
        };
        var github = GithubContextBuilder.BuildRunContext(run, provisional);
        github.Set("token", ExpressionValue.FromString(secrets["GITHUB_TOKEN"]));
        var definitions = request.EventName == "workflow_dispatch" ? request.Workflow.On.WorkflowDispatch?.Inputs ?? [] : [];
        var defaultsContext = new EvaluationContext
        {
            Contexts = new Dictionary<string, ExpressionValue>(StringComparer.OrdinalIgnoreCase) { ["github"] = github, ["vars"] = run.Variables },
        };
        var inputs = InputsBuilder.Build(definitions, given, token => run.Evaluator.EvaluateValue(token, defaultsContext));
        return new WorkflowScope
        {
            Workflow = request.Workflow,
            Inputs = inputs,
            Secrets = provisional.Secrets,
            Github = github,
            WorkflowPath = workflowPath,
        };
    }

    private static string EvaluateRunName(RunContext run, WorkflowScope scope)
    {
        if (scope.Workflow.RunName is not { } runName)
        {
            return GithubContextBuilder.WorkflowName(scope);
        }

        try
        {
            var context = new EvaluationContext
            {
                Contexts = new Dictionary<string, ExpressionValue>(StringComparer.OrdinalIgnoreCase)
                {
                    ["github"] = scope.Github,
                    ["inputs"] = scope.Inputs,
                    ["vars"] = run.Variables,
                },
            };
            return run.Masker.Mask(run.Evaluator.EvaluateString(runName, context));
        }
        catch (WorkflowEvaluationException)
        {
            return runName.Value;
        }
    }

    internal static string RelativeWorkflowPath(string repository, string workflowFile)
    {
        var full = Path.GetFullPath(workflowFile, repository);
        var relative = Path.GetRelativePath(repository, full);
        return relative.StartsWith("..", StringComparison.Ordinal) ? Path.GetFileName(full) : relative.Replace('\\', '/');
    }

    private static string NewRunId(TimeProvider time) =>
        (time.GetUtcNow().ToUnixTimeMilliseconds() * 1000 + RandomNumberGenerator.GetInt32(1000)).ToString(CultureInfo.InvariantCulture);

    private static Dictionary<string, string> HostEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string?)entry.Value ?? "";
        }

        return environment;
    }
}
