using Shipgate.Core.Expressions;
using Shipgate.Core.Workflows;
using Shipgate.Engine.Processes;
using Shipgate.Engine.Steps;

namespace Shipgate.Engine.Runs;

/// <summary>The mutable state of one running job instance, shared by its steps and their actions.</summary>
internal sealed class JobState
{
    public required RunContext Run { get; init; }

    /// <summary>The workflow scope; its secrets are the job's (with its environment's, once its gate passed).</summary>
    public required WorkflowScope Scope { get; init; }

    /// <summary>The <c>vars</c> context of the job (with its environment's, once its gate passed).</summary>
    public required ObjectValue Variables { get; init; }

    public required JobDefinition Job { get; init; }

    /// <summary>The job's <c>environment:</c> name, evaluated; null without one.</summary>
    public string? EnvironmentName { get; init; }

    public required string Key { get; init; }

    public required string Name { get; init; }

    public required string Workspace { get; init; }

    public required string Temp { get; init; }

    /// <summary>HOME of the job's steps in a sandbox (its own, emptied at the end of the job); null to keep the host's.</summary>
    public string? Home { get; init; }

    /// <summary>The sandbox every process of the job runs in; null to run them on the host.</summary>
    public Sandbox.JobSandbox? Sandbox { get; init; }

    public required string LogDirectory { get; init; }

    /// <summary>The job's summary: the GITHUB_STEP_SUMMARY of its steps, in order (masked).</summary>
    public required string SummaryPath { get; init; }

    /// <summary>Finds what the job's steps left running, to kill it when the job ends.</summary>
    public ProcessTracker Tracker { get; } = new();

    /// <summary>The <c>github</c> context of this job (job and workspace set); steps copy it to set their action keys.</summary>
    public required ObjectValue Github { get; init; }

    public required ObjectValue Runner { get; init; }

    /// <summary>The <c>matrix</c> context: the leg's values, or null for a job without a matrix.</summary>
    public required ExpressionValue Matrix { get; init; }

    public required ObjectValue Strategy { get; init; }

    public required ObjectValue Needs { get; init; }

    /// <summary>Cancelled by the run's cancellation, fail-fast and concurrency's cancel-in-progress.</summary>
    public required CancellationTokenSource Cancel { get; init; }

    /// <summary>Fires when the job's timeout-minutes pass.</summary>
    public required CancellationTokenSource Timeout { get; init; }

    /// <summary>Workflow then job <c>env</c>, evaluated.</summary>
    public Dictionary<string, string> Env { get; } = new(StringComparer.Ordinal);

    /// <summary>Variables exported through GITHUB_ENV, for the later steps.</summary>
    public Dictionary<string, string> ExportedEnv { get; } = new(StringComparer.Ordinal);

    /// <summary>Directories added through GITHUB_PATH, in the order added (the last comes first on PATH).</summary>
    public List<string> PathAdditions { get; } = [];

    public string? DefaultShell { get; set; }

    public string? DefaultWorkingDirectory { get; set; }

    public Stack<PostStep> PostSteps { get; } = new();

    /// <summary>State saved by the pre steps of local node actions, by the index of the step that uses them.</summary>
    public Dictionary<int, Dictionary<string, string>> PreState { get; } = [];

    public List<StepRunResult> StepResults { get; } = [];

    /// <summary>The <c>steps</c> context of the job's own steps.</summary>
    public ObjectValue Steps { get; } = new();

    public bool AnyStepFailed { get; set; }

    public bool TimedOut { get; set; }

    /// <summary>The first failure's reason, for the job's result.</summary>
    public string? FailureReason { get; set; }

    public int StepCount { get; set; }

    /// <summary>Exports a variable to the job's later steps (GITHUB_ENV, core.exportVariable).</summary>
    public void ExportVariable(string name, string value)
    {
        lock (ExportedEnv)
        {
            ExportedEnv[name] = value;
        }
    }

    /// <summary>Puts a directory in front of PATH for the job's later steps (GITHUB_PATH, core.addPath).</summary>
    public void AddPath(string directory)
    {
        lock (PathAdditions)
        {
            PathAdditions.Add(directory);
        }
    }

    /// <summary>What success(), failure() and cancelled() see in a step's <c>if:</c>.</summary>
    public JobStatus Status => Cancel.IsCancellationRequested || TimedOut || Timeout.IsCancellationRequested
        ? JobStatus.Cancelled
        : AnyStepFailed ? JobStatus.Failure : JobStatus.Success;

    /// <summary>The <c>job</c> context.</summary>
    public ObjectValue JobContext()
    {
        var job = new ObjectValue();
        job.Set("status", ExpressionValue.FromString(Status switch
        {
            JobStatus.Failure => "failure",
            JobStatus.Cancelled => "cancelled",
            _ => "success",
        }));
        job.Set("container", new ObjectValue());
        job.Set("services", new ObjectValue());
        return job;
    }

    /// <summary>The contexts for an expression of a step in <paramref name="scope"/>.</summary>
    public EvaluationContext CreateContext(StepScope scope, IReadOnlyDictionary<string, string> env, ObjectValue github, JobStatus? status = null)
    {
        var contexts = new Dictionary<string, ExpressionValue>(StringComparer.OrdinalIgnoreCase)
        {
            ["github"] = github,
            ["env"] = Contexts.ValueConversion.FromStrings(env),
            ["vars"] = Variables,
            ["secrets"] = Scope.Secrets,
            ["needs"] = Needs,
            ["steps"] = scope.Steps,
            ["job"] = JobContext(),
            ["runner"] = Runner,
            ["strategy"] = Strategy,
            ["matrix"] = Matrix,
            ["inputs"] = scope.Inputs,
        };
        return new EvaluationContext
        {
            Contexts = contexts,
            Status = status ?? scope.Status,
            HashFiles = patterns => Contexts.HashFiles.Compute(Workspace, patterns),
        };
    }
}
