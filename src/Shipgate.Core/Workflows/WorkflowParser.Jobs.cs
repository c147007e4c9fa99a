using System.Text.RegularExpressions;
using Shipgate.Core.Diagnostics;

namespace Shipgate.Core.Workflows;

/// <summary>The <c>jobs:</c> section.</summary>
internal sealed partial class WorkflowParser
{
    private static readonly string[] JobKeys =
    [
        "name", "permissions", "needs", "if", "runs-on", "environment", "concurrency", "outputs", "env", "defaults",
        "steps", "timeout-minutes", "strategy", "continue-on-error", "container", "services", "uses", "with", "secrets",
    ];

    /// <summary>The keys GitHub allows in a job that calls a reusable workflow.</summary>
    private static readonly string[] ReusableJobKeys = ["name", "uses", "with", "secrets", "needs", "if", "permissions", "strategy", "concurrency"];

    private static readonly string[] RunsOnKeys = ["group", "labels"];
    private static readonly string[] EnvironmentKeys = ["name", "url"];
    private static readonly string[] StrategyKeys = ["matrix", "fail-fast", "max-parallel"];

    private List<JobDefinition> ReadJobs(TemplateToken token)
    {
        var jobs = new List<JobDefinition>();
        if (ReadMapping(token, "jobs") is not { } map)
        {
            return jobs;
        }

        if (map.Pairs.Count == 0)
        {
            Error(map.Location, "'jobs' must define at least one job");
        }

        foreach (var (id, value) in map.Pairs)
        {
            if (!IsValidId(id.Value))
            {
                Error(id.Location, $"job id '{id.Value}' is invalid: it must start with a letter or '_' and contain only letters, digits, '-' and '_'");
            }

            jobs.Add(ReadJob(id, value));
        }

        return jobs;
    }

    private JobDefinition ReadJob(ScalarToken id, TemplateToken token)
    {
        var what = $"jobs.{id.Value}";
        if (token is ScalarToken { IsNull: true })
        {
            Error(id.Location, $"job '{id.Value}' is empty; give it 'runs-on' and 'steps', or 'uses' to call a reusable workflow");
            return new JobDefinition { Id = id.Value, Location = id.Location };
        }

        if (ReadMapping(token, what, nullIsEmpty: false) is not { } map)
        {
            return new JobDefinition { Id = id.Value, Location = id.Location };
        }

        ScalarToken? name = null;
        List<ScalarToken> needs = [];
        ScalarToken? condition = null;
        TemplateToken? runsOn = null;
        IReadOnlyList<KeyValuePair<string, ScalarToken>> env = [];
        RunDefaults? defaults = null;
        IReadOnlyList<KeyValuePair<string, ScalarToken>> outputs = [];
        EnvironmentReference? environment = null;
        ConcurrencyDefinition? concurrency = null;
        ScalarToken? timeoutMinutes = null;
        ScalarToken? continueOnError = null;
        StrategyDefinition? strategy = null;
        ScalarToken? uses = null;
        MappingToken? with = null;
        IReadOnlyList<KeyValuePair<string, ScalarToken>> secrets = [];
        var secretsInherit = false;
        SourceLocation? container = null;
        SourceLocation? services = null;
        IReadOnlyList<StepDefinition> steps = [];
        foreach (var (key, value) in map.Pairs)
        {
            var keyWhat = $"{what}.{key.Value}";
            switch (key.Value)
            {
                case "name":
                    name = ReadString(value, keyWhat, allowEmpty: true);
                    break;
                case "permissions":
                    ReadPermissions(value, keyWhat);
                    break;
                case "needs":
                    needs = ReadStringList(value, keyWhat) ?? [];
                    foreach (var need in needs)
                    {
                        NoExpression(need, keyWhat);
                    }

                    break;
                case "if":
                    condition = ReadString(value, keyWhat, allowEmpty: true);
                    break;
                case "runs-on":
                    runsOn = ReadRunsOn(value, keyWhat);
                    break;
                case "environment":
                    environment = ReadEnvironment(value, keyWhat);
                    break;
                case "concurrency":
                    concurrency = ReadConcurrency(value, keyWhat);
                    break;
                case "outputs":
                    outputs = ReadStringMap(value, keyWhat);
                    break;
                case "env":
                    env = ReadStringMap(value, keyWhat);
                    break;
                case "defaults":
                    defaults = ReadDefaults(value, keyWhat);
                    break;
                case "steps":
                    steps = ReadSteps(value, keyWhat, id.Value);
                    break;
                case "timeout-minutes":
                    timeoutMinutes = ReadNumberOrExpression(value, keyWhat);
                    break;
                case "strategy":
                    strategy = ReadStrategy(value, keyWhat);
                    break;
                case "continue-on-error":
                    continueOnError = ReadBooleanOrExpression(value, keyWhat);
                    break;
                case "container":
                    container = key.Location;
                    break;
                case "services":
                    services = key.Location;
                    ReadMapping(value, keyWhat);
                    break;
                case "uses":
                    uses = ReadReusableWorkflow(value, keyWhat);
                    break;
                case "with":
                    with = ReadMapping(value, keyWhat);
                    ReadStringMap(value, keyWhat);
                    break;
                case "secrets":
                    if (value is ScalarToken { Value: "inherit", IsPlain: true })
                    {
                        secretsInherit = true;
                    }
                    else if (value is ScalarToken { IsNull: false } other)
                    {
                        Error(other.Location, $"'{keyWhat}' must be 'inherit' or a mapping of secrets, not '{other.Value}'");
                    }
                    else
                    {
                        secrets = ReadStringMap(value, keyWhat);
                    }

                    break;
                default:
                    UnknownKey(key, JobKeys, what);
                    break;
            }
        }

        CheckJobShape(id, map, isReusable: map["uses"] is not null);
        return new JobDefinition
        {
            Id = id.Value,
            Location = id.Location,
            Name = name,
            Needs = needs.Select(n => n.Value).ToList(),
            NeedsTokens = needs,
            If = condition,
            RunsOn = runsOn,
            Env = env,
            Defaults = defaults,
            Outputs = outputs,
            Environment = environment,
            Concurrency = concurrency,
            TimeoutMinutes = timeoutMinutes,
            ContinueOnError = continueOnError,
            Strategy = strategy,
            Uses = uses,
            With = with,
            Secrets = secrets,
            SecretsInherit = secretsInherit,
            Container = container,
            Services = services,
            Steps = steps,
        };
    }

    private void CheckJobShape(ScalarToken id, MappingToken map, bool isReusable)
    {
        if (isReusable)
        {
            foreach (var (key, _) in map.Pairs)
            {
                if (JobKeys.Contains(key.Value, StringComparer.Ordinal) && !ReusableJobKeys.Contains(key.Value, StringComparer.Ordinal))
                {
                    Error(key.Location, $"'{key.Value}' cannot be used in a job that calls a reusable workflow ('uses')");
                }
            }

            return;
        }

        foreach (var (key, _) in map.Pairs)
        {
            if (key.Value is "with" or "secrets")
            {
                Error(key.Location, $"'{key.Value}' can only be used in a job that calls a reusable workflow ('uses')");
            }
        }

        if (map["steps"] is null)
        {
            Error(id.Location, $"job '{id.Value}' has no 'steps' (or 'uses' to call a reusable workflow)");
        }

        if (map["runs-on"] is null)
        {
            Error(id.Location, $"job '{id.Value}' has no 'runs-on'");
        }
    }

    private TemplateToken? ReadRunsOn(TemplateToken token, string what)
    {
        switch (token)
        {
            case ScalarToken:
                return ReadString(token, what);
            case SequenceToken sequence:
                if (sequence.Items.Count == 0)
                {
                    Error(token.Location, $"'{what}' must name at least one label");
                }

                ReadStringList(token, what);
                return token;
            default:
                var map = (MappingToken)token;
                foreach (var (key, value) in map.Pairs)
                {
                    switch (key.Value)
                    {
                        case "group":
                            ReadString(value, $"{what}.group");
                            break;
                        case "labels":
                            ReadStringList(value, $"{what}.labels");
                            break;
                        default:
                            UnknownKey(key, RunsOnKeys, what);
                            break;
                    }
                }

                return token;
        }
    }

    private EnvironmentReference? ReadEnvironment(TemplateToken token, string what)
    {
        if (token is ScalarToken)
        {
            return ReadString(token, what) is { } environmentName ? new EnvironmentReference { Name = environmentName } : null;
        }

        if (ReadMapping(token, what, nullIsEmpty: false, expected: "a name or a mapping with 'name' and 'url'") is not { } map)
        {
            return null;
        }

        ScalarToken? name = null;
        ScalarToken? url = null;
        foreach (var (key, value) in map.Pairs)
        {
            switch (key.Value)
            {
                case "name":
                    name = ReadString(value, $"{what}.name");
                    break;
                case "url":
                    url = ReadString(value, $"{what}.url", allowEmpty: true);
                    break;
                default:
                    UnknownKey(key, EnvironmentKeys, what);
                    break;
            }
        }

        if (name is null)
        {
            if (map["name"] is null)
            {
                Error(map.Location, $"'{what}' needs a 'name'");
            }

            return null;
        }

        return new EnvironmentReference { Name = name, Url = url };
    }

    private StrategyDefinition? ReadStrategy(TemplateToken token, string what)
    {
        if (ReadMapping(token, what, nullIsEmpty: false) is not { } map)
        {
            return null;
        }

        TemplateToken? matrix = null;
        ScalarToken? failFast = null;
        ScalarToken? maxParallel = null;
        foreach (var (key, value) in map.Pairs)
        {
            switch (key.Value)
            {
                case "matrix":
                    matrix = ReadMatrix(value, $"{what}.matrix");
                    break;
                case "fail-fast":
                    failFast = ReadBooleanOrExpression(value, $"{what}.fail-fast");
                    break;
                case "max-parallel":
                    maxParallel = ReadNumberOrExpression(value, $"{what}.max-parallel");
                    break;
                default:
                    UnknownKey(key, StrategyKeys, what);
                    break;
            }
        }

        return new StrategyDefinition { Matrix = matrix, FailFast = failFast, MaxParallel = maxParallel };
    }

    /// <summary>A mapping of vectors (sequences) with include/exclude (sequences of mappings), or one expression.</summary>
    private TemplateToken? ReadMatrix(TemplateToken token, string what)
    {
        if (token is ScalarToken { HasExpression: true })
        {
            return token;
        }

        if (ReadMapping(token, what, nullIsEmpty: false, expected: "a mapping of vectors or an expression") is not { } map)
        {
            return null;
        }

        foreach (var (key, value) in map.Pairs)
        {
            var keyWhat = $"{what}.{key.Value}";
            if (value is ScalarToken { HasExpression: true })
            {
                continue;
            }

            if (value is not SequenceToken sequence)
            {
                Error(value.Location, $"'{keyWhat}' must be a sequence or an expression, not {value.KindName}");
                continue;
            }

            if (key.Value is "include" or "exclude")
            {
                foreach (var item in sequence.Items)
                {
                    if (item is not MappingToken and not ScalarToken { HasExpression: true })
                    {
                        Error(item.Location, $"each entry of '{keyWhat}' must be a mapping, not {item.KindName}");
                    }
                }
            }
        }

        return map;
    }

    private ScalarToken? ReadReusableWorkflow(TemplateToken token, string what)
    {
        if (ReadString(token, what) is not { } uses)
        {
            return null;
        }

        if (uses.HasExpression)
        {
            NoExpression(uses, what);
        }
        else if (!uses.Value.StartsWith("./", StringComparison.Ordinal) && !RemoteWorkflowRegex().IsMatch(uses.Value))
        {
            Error(uses.Location, $"'{what}' must name a workflow file, './.github/workflows/x.yml' or 'owner/repo/.github/workflows/x.yml@ref', not '{uses.Value}'");
        }

        return uses;
    }

    [GeneratedRegex(@"^[^/@\s]+/[^/@\s]+/[^@\s]+\.ya?ml@[^@\s]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RemoteWorkflowRegex();
}
