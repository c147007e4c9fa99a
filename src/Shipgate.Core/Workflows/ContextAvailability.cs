using System.Collections.Frozen;
using Shipgate.Core.Expressions;

namespace Shipgate.Core.Workflows;

/// <summary>
/// Which contexts and special functions an expression may use at each key of a workflow: GitHub's
/// "context availability" table (docs.github.com, "Contexts reference"). The validator checks
/// expressions with it and the engine parses them with it, so both agree on what is allowed where.
/// </summary>
public static class ContextAvailability
{
    private const string Github = "github";
    private const string Needs = "needs";
    private const string Strategy = "strategy";
    private const string Matrix = "matrix";
    private const string Job = "job";
    private const string Jobs = "jobs";
    private const string Runner = "runner";
    private const string Env = "env";
    private const string Vars = "vars";
    private const string Secrets = "secrets";
    private const string Steps = "steps";
    private const string Inputs = "inputs";

    private static readonly string[] JobLevel = [Github, Needs, Strategy, Matrix, Vars, Inputs];
    private static readonly string[] StepLevel = [Github, Needs, Strategy, Matrix, Job, Runner, Env, Vars, Secrets, Steps, Inputs];

    private static readonly FrozenDictionary<ExpressionSite, Entry> Table = new Entry[]
    {
        new(ExpressionSite.RunName, "run-name", [Github, Inputs, Vars]),
        new(ExpressionSite.WorkflowEnv, "env", [Github, Secrets, Inputs, Vars]),
        new(ExpressionSite.WorkflowConcurrency, "concurrency", [Github, Inputs, Vars]),
        new(ExpressionSite.WorkflowDefaultsRun, "defaults.run", [Github, Inputs, Vars]),
        new(ExpressionSite.CallInputDefault, "on.workflow_call.inputs.<inputs_id>.default", [Github, Inputs, Vars]),
        new(ExpressionSite.CallOutputValue, "on.workflow_call.outputs.<output_id>.value", [Github, Jobs, Vars, Inputs]),
        new(ExpressionSite.JobName, "jobs.<job_id>.name", JobLevel),
        new(ExpressionSite.JobIf, "jobs.<job_id>.if", [Github, Needs, Vars, Inputs], StatusFunctions: true),
        new(ExpressionSite.JobRunsOn, "jobs.<job_id>.runs-on", JobLevel),
        new(ExpressionSite.JobEnv, "jobs.<job_id>.env", [Github, Needs, Strategy, Matrix, Vars, Secrets, Inputs]),
        new(ExpressionSite.JobDefaultsRun, "jobs.<job_id>.defaults.run", [Github, Needs, Strategy, Matrix, Env, Vars, Inputs]),
        new(ExpressionSite.JobOutputs, "jobs.<job_id>.outputs.<output_id>", [Github, Needs, Strategy, Matrix, Job, Runner, Env, Vars, Secrets, Steps, Inputs]),
        new(ExpressionSite.JobEnvironment, "jobs.<job_id>.environment", JobLevel),
        new(ExpressionSite.JobEnvironmentUrl, "jobs.<job_id>.environment.url", [Github, Needs, Strategy, Matrix, Job, Runner, Env, Vars, Steps, Inputs]),
        new(ExpressionSite.JobConcurrency, "jobs.<job_id>.concurrency", JobLevel),
        new(ExpressionSite.JobTimeoutMinutes, "jobs.<job_id>.timeout-minutes", JobLevel),
        new(ExpressionSite.JobContinueOnError, "jobs.<job_id>.continue-on-error", JobLevel),
        new(ExpressionSite.JobStrategy, "jobs.<job_id>.strategy", [Github, Needs, Vars, Inputs]),
        new(ExpressionSite.JobWith, "jobs.<job_id>.with.<with_id>", JobLevel),
        new(ExpressionSite.JobSecrets, "jobs.<job_id>.secrets.<secrets_id>", [Github, Needs, Strategy, Matrix, Secrets, Inputs, Vars]),
        new(ExpressionSite.JobContainer, "jobs.<job_id>.container", JobLevel),
        new(ExpressionSite.JobServices, "jobs.<job_id>.services", JobLevel),
        new(ExpressionSite.StepName, "jobs.<job_id>.steps.name", StepLevel, HashFiles: true),
        new(ExpressionSite.StepIf, "jobs.<job_id>.steps.if", [Github, Needs, Strategy, Matrix, Job, Runner, Env, Vars, Steps, Inputs], StatusFunctions: true, HashFiles: true),
        new(ExpressionSite.StepRun, "jobs.<job_id>.steps.run", StepLevel, HashFiles: true),
        new(ExpressionSite.StepEnv, "jobs.<job_id>.steps.env", StepLevel, HashFiles: true),
        new(ExpressionSite.StepWith, "jobs.<job_id>.steps.with", StepLevel, HashFiles: true),
        new(ExpressionSite.StepWorkingDirectory, "jobs.<job_id>.steps.working-directory", StepLevel, HashFiles: true),
        new(ExpressionSite.StepShell, "jobs.<job_id>.steps.shell", StepLevel, HashFiles: true),
        new(ExpressionSite.StepContinueOnError, "jobs.<job_id>.steps.continue-on-error", StepLevel, HashFiles: true),
        new(ExpressionSite.StepTimeoutMinutes, "jobs.<job_id>.steps.timeout-minutes", StepLevel, HashFiles: true),
    }.ToFrozenDictionary(e => e.Site);

    /// <summary>The contexts an expression may name at <paramref name="site"/>.</summary>
    public static IReadOnlyList<string> Contexts(ExpressionSite site) => Get(site).Contexts;

    /// <summary>True where success(), failure(), cancelled() and always() may be called (the <c>if:</c> of jobs and steps).</summary>
    public static bool AllowsStatusFunctions(ExpressionSite site) => Get(site).StatusFunctions;

    /// <summary>True where hashFiles() may be called (step-level keys).</summary>
    public static bool AllowsHashFiles(ExpressionSite site) => Get(site).HashFiles;

    /// <summary>The key as GitHub's table names it, such as <c>jobs.&lt;job_id&gt;.steps.if</c>.</summary>
    public static string KeyName(ExpressionSite site) => Get(site).Key;

    /// <summary>Parse options for expressions at <paramref name="site"/> (one shared instance per site).</summary>
    public static ExpressionParseOptions ParseOptions(ExpressionSite site) => Get(site).Options;

    private static Entry Get(ExpressionSite site) =>
        Table.TryGetValue(site, out var entry) ? entry : throw new ArgumentOutOfRangeException(nameof(site), site, "Not a known expression site.");

    private sealed record Entry(ExpressionSite Site, string Key, string[] Contexts, bool StatusFunctions = false, bool HashFiles = false)
    {
        public ExpressionParseOptions Options { get; } = new()
        {
            AllowedContexts = Contexts,
            AllowStatusFunctions = StatusFunctions,
            AllowHashFiles = HashFiles,
        };
    }
}
