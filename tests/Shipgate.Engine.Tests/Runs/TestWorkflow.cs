using Shipgate.Core.Diagnostics;
using Shipgate.Core.Workflows;

namespace Shipgate.Engine.Tests.Runs;

/// <summary>Builds workflow models by hand for engine tests, without the YAML loader.</summary>
internal static class TestWorkflow
{
    private static readonly SourceLocation At = new("test.yml", 1, 1);

    public static ScalarToken S(string value, bool plain = true) => new(value, plain, At);

    public static WorkflowDefinition Workflow(params JobDefinition[] jobs) => new()
    {
        FilePath = ".github/workflows/test.yml",
        On = new WorkflowTriggers(),
        Jobs = jobs,
    };

    public static JobDefinition Job(
        string id,
        StepDefinition[] steps,
        string[]? needs = null,
        string? condition = null,
        string? name = null,
        bool? continueOnError = null,
        string? timeoutMinutes = null,
        TemplateToken? runsOn = null,
        StrategyDefinition? strategy = null,
        (string Key, string Value)[]? env = null,
        (string Key, string Value)[]? outputs = null,
        ConcurrencyDefinition? concurrency = null) => new()
        {
            Id = id,
            Location = At,
            Steps = [.. steps.Select((s, i) => Renumber(s, i))],
            Needs = needs ?? [],
            If = condition is null ? null : S(condition),
            Name = name is null ? null : S(name),
            ContinueOnError = continueOnError is null ? null : S(continueOnError.Value ? "true" : "false"),
            TimeoutMinutes = timeoutMinutes is null ? null : S(timeoutMinutes),
            RunsOn = runsOn ?? S("ubuntu-latest"),
            Strategy = strategy,
            Env = Pairs(env),
            Outputs = Pairs(outputs),
            Concurrency = concurrency,
        };

    public static StepDefinition Run(
        string script,
        string? id = null,
        string? condition = null,
        string? name = null,
        bool? continueOnError = null,
        string? timeoutMinutes = null,
        string? shell = null,
        string? workingDirectory = null,
        (string Key, string Value)[]? env = null) => new()
        {
            Index = 0,
            Location = At,
            Id = id,
            Run = S(script, plain: false),
            If = condition is null ? null : S(condition),
            Name = name is null ? null : S(name),
            ContinueOnError = continueOnError is null ? null : S(continueOnError.Value ? "true" : "false"),
            TimeoutMinutes = timeoutMinutes is null ? null : S(timeoutMinutes),
            Shell = shell is null ? null : S(shell),
            WorkingDirectory = workingDirectory is null ? null : S(workingDirectory),
            Env = Pairs(env),
        };

    public static StepDefinition Uses(string uses, string? id = null, string? condition = null, (string Key, string Value)[]? with = null, (string Key, string Value)[]? env = null) => new()
    {
        Index = 0,
        Location = At,
        Id = id,
        Uses = S(uses),
        If = condition is null ? null : S(condition),
        With = Pairs(with),
        Env = Pairs(env),
    };

    private static StepDefinition Renumber(StepDefinition step, int index) => new()
    {
        Index = index,
        Location = step.Location,
        Id = step.Id,
        Name = step.Name,
        If = step.If,
        Run = step.Run,
        Shell = step.Shell,
        WorkingDirectory = step.WorkingDirectory,
        Env = step.Env,
        Uses = step.Uses,
        With = step.With,
        ContinueOnError = step.ContinueOnError,
        TimeoutMinutes = step.TimeoutMinutes,
    };

    private static List<KeyValuePair<string, ScalarToken>> Pairs((string Key, string Value)[]? pairs) =>
        [.. (pairs ?? []).Select(p => new KeyValuePair<string, ScalarToken>(p.Key, S(p.Value, plain: false)))];
}
