using Shipgate.Core.Triggers;

namespace Shipgate.Core.Workflows;

/// <summary>The <c>on:</c> section.</summary>
internal sealed partial class WorkflowParser
{
    private static readonly string[] PushKeys = ["branches", "branches-ignore", "tags", "tags-ignore", "paths", "paths-ignore"];
    private static readonly string[] PullRequestKeys = ["branches", "branches-ignore", "paths", "paths-ignore", "types"];
    private static readonly string[] DispatchKeys = ["inputs"];
    private static readonly string[] CallKeys = ["inputs", "outputs", "secrets"];
    private static readonly string[] DispatchInputKeys = ["description", "required", "default", "type", "options"];
    private static readonly string[] CallInputKeys = ["description", "required", "default", "type"];
    private static readonly string[] DispatchInputTypes = ["string", "boolean", "number", "choice", "environment"];
    private static readonly string[] CallInputTypes = ["string", "boolean", "number"];
    private static readonly string[] CallOutputKeys = ["description", "value"];
    private static readonly string[] CallSecretKeys = ["description", "required"];
    private static readonly string[] ScheduleKeys = ["cron"];

    private WorkflowTriggers ReadTriggers(TemplateToken token)
    {
        RefFilter? push = null;
        RefFilter? pullRequest = null;
        RefFilter? pullRequestTarget = null;
        DispatchTrigger? dispatch = null;
        CallTrigger? call = null;
        var schedules = new List<ScalarToken>();
        var others = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        switch (token)
        {
            case ScalarToken { IsNull: true }:
                Error(token.Location, "'on' must name at least one event (e.g. 'on: push')");
                break;
            case ScalarToken scalar:
                AddEvent(scalar, null);
                break;
            case SequenceToken sequence:
                if (sequence.Items.Count == 0)
                {
                    Error(token.Location, "'on' names no event");
                }

                foreach (var item in sequence.Items)
                {
                    if (ReadString(item, "on") is { } name)
                    {
                        AddEvent(name, null);
                    }
                }

                break;
            case MappingToken map:
                if (map.Pairs.Count == 0)
                {
                    Error(token.Location, "'on' names no event");
                }

                foreach (var (key, value) in map.Pairs)
                {
                    AddEvent(key, value);
                }

                break;
        }

        return new WorkflowTriggers
        {
            Push = push,
            PullRequest = pullRequest,
            PullRequestTarget = pullRequestTarget,
            WorkflowDispatch = dispatch,
            Schedules = schedules,
            WorkflowCall = call,
            OtherEvents = others,
        };

        void AddEvent(ScalarToken name, TemplateToken? config)
        {
            if (!GitHubEvents.Names.Contains(name.Value, StringComparer.Ordinal))
            {
                Error(name.Location, $"unknown event '{name.Value}'{KeySuggestion.DidYouMean(name.Value, GitHubEvents.Names)}");
                return;
            }

            if (!seen.Add(name.Value))
            {
                Error(name.Location, $"event '{name.Value}' is listed twice");
                return;
            }

            var what = $"on.{name.Value}";
            switch (name.Value)
            {
                case "push":
                    push = ReadRefFilter(config, what, PushKeys);
                    break;
                case "pull_request":
                    pullRequest = ReadRefFilter(config, what, PullRequestKeys);
                    break;
                case "pull_request_target":
                    pullRequestTarget = ReadRefFilter(config, what, PullRequestKeys);
                    break;
                case "workflow_dispatch":
                    dispatch = ReadDispatch(config, what);
                    break;
                case "workflow_call":
                    call = ReadCall(config, what);
                    break;
                case "schedule":
                    if (config is null or ScalarToken { IsNull: true })
                    {
                        Error(name.Location, "'schedule' needs a sequence of cron entries, such as 'schedule: [{cron: \"0 3 * * *\"}]'");
                    }
                    else
                    {
                        schedules.AddRange(ReadSchedules(config, what));
                    }

                    break;
                default:
                    // Other events never fire on the host; their settings (types, branches, workflows...) are not checked.
                    if (config is not null)
                    {
                        ReadMapping(config, what);
                    }

                    others.Add(name.Value);
                    break;
            }
        }
    }

    private RefFilter ReadRefFilter(TemplateToken? config, string what, string[] allowed)
    {
        if (config is null || ReadMapping(config, what) is not { } map)
        {
            return new RefFilter();
        }

        var lists = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Pairs)
        {
            if (!allowed.Contains(key.Value, StringComparer.Ordinal))
            {
                UnknownKey(key, allowed, what);
                continue;
            }

            var items = ReadStringList(value, $"{what}.{key.Value}");
            if (items is null)
            {
                continue;
            }

            foreach (var item in items)
            {
                if (key.Value == "types")
                {
                    CheckActivityType(item, what);
                }
                else
                {
                    CheckFilterPattern(item, $"{what}.{key.Value}");
                }
            }

            lists[key.Value] = [.. items.Select(i => i.Value)];
            var exclusive = key.Value.EndsWith("-ignore", StringComparison.Ordinal) ? key.Value[..^"-ignore".Length] : key.Value + "-ignore";
            if (key.Value != "types" && lists.ContainsKey(exclusive))
            {
                var positive = key.Value.EndsWith("-ignore", StringComparison.Ordinal) ? exclusive : key.Value;
                Error(key.Location, $"'{positive}' and '{positive}-ignore' cannot both filter '{what}'; use '!' patterns in '{positive}' instead");
            }
        }

        return new RefFilter
        {
            Branches = lists.GetValueOrDefault("branches"),
            BranchesIgnore = lists.GetValueOrDefault("branches-ignore"),
            Tags = lists.GetValueOrDefault("tags"),
            TagsIgnore = lists.GetValueOrDefault("tags-ignore"),
            Paths = lists.GetValueOrDefault("paths"),
            PathsIgnore = lists.GetValueOrDefault("paths-ignore"),
            Types = lists.GetValueOrDefault("types"),
        };
    }

    private void CheckFilterPattern(ScalarToken pattern, string what)
    {
        if (pattern.HasExpression)
        {
            NoExpression(pattern, what);
        }
        else if (!FilterPattern.TryCreate(pattern.Value, out _, out var error, out var index))
        {
            Error(pattern.GetLocation(index), $"invalid filter pattern '{pattern.Value}' in '{what}': {error}");
        }
    }

    private void CheckActivityType(ScalarToken type, string what)
    {
        if (!GitHubEvents.PullRequestTypes.Contains(type.Value, StringComparer.Ordinal))
        {
            Error(type.Location, $"unknown activity type '{type.Value}' in '{what}.types'{KeySuggestion.DidYouMean(type.Value, GitHubEvents.PullRequestTypes)}");
        }
    }

    private DispatchTrigger ReadDispatch(TemplateToken? config, string what)
    {
        if (config is null || ReadMapping(config, what) is not { } map)
        {
            return new DispatchTrigger();
        }

        var inputs = new List<InputDefinition>();
        foreach (var (key, value) in map.Pairs)
        {
            if (key.Value == "inputs")
            {
                inputs.AddRange(ReadInputs(value, $"{what}.inputs", isCall: false));
            }
            else
            {
                UnknownKey(key, DispatchKeys, what);
            }
        }

        return new DispatchTrigger { Inputs = inputs };
    }

    private CallTrigger ReadCall(TemplateToken? config, string what)
    {
        if (config is null || ReadMapping(config, what) is not { } map)
        {
            return new CallTrigger();
        }

        var inputs = new List<InputDefinition>();
        var outputs = new List<KeyValuePair<string, ScalarToken>>();
        var secrets = new List<KeyValuePair<string, bool>>();
        foreach (var (key, value) in map.Pairs)
        {
            switch (key.Value)
            {
                case "inputs":
                    inputs.AddRange(ReadInputs(value, $"{what}.inputs", isCall: true));
                    break;
                case "outputs":
                    outputs.AddRange(ReadCallOutputs(value, $"{what}.outputs"));
                    break;
                case "secrets":
                    secrets.AddRange(ReadCallSecrets(value, $"{what}.secrets"));
                    break;
                default:
                    UnknownKey(key, CallKeys, what);
                    break;
            }
        }

        return new CallTrigger { Inputs = inputs, Outputs = outputs, Secrets = secrets };
    }

    private List<InputDefinition> ReadInputs(TemplateToken token, string what, bool isCall)
    {
        var inputs = new List<InputDefinition>();
        if (ReadMapping(token, what) is not { } map)
        {
            return inputs;
        }

        foreach (var (key, value) in map.Pairs)
        {
            if (!IsValidId(key.Value))
            {
                Error(key.Location, $"input name '{key.Value}' is invalid: it must start with a letter or '_' and contain only letters, digits, '-' and '_'");
            }

            if (ReadInput(key, value, $"{what}.{key.Value}", isCall) is { } input)
            {
                inputs.Add(input);
            }
        }

        return inputs;
    }

    private InputDefinition? ReadInput(ScalarToken name, TemplateToken token, string what, bool isCall)
    {
        if (ReadMapping(token, what) is not { } map)
        {
            return null;
        }

        var allowedKeys = isCall ? CallInputKeys : DispatchInputKeys;
        var allowedTypes = isCall ? CallInputTypes : DispatchInputTypes;
        string? description = null;
        var required = false;
        ScalarToken? defaultValue = null;
        ScalarToken? type = null;
        List<ScalarToken>? options = null;
        ScalarToken? optionsKey = null;
        foreach (var (key, value) in map.Pairs)
        {
            switch (key.Value)
            {
                case "description":
                    description = ReadString(value, $"{what}.description", allowEmpty: true)?.Value;
                    break;
                case "required":
                    required = ReadBoolean(value, $"{what}.required") ?? false;
                    break;
                case "default":
                    defaultValue = ReadString(value, $"{what}.default", allowEmpty: true);
                    break;
                case "type":
                    type = ReadString(value, $"{what}.type");
                    if (type is not null && !allowedTypes.Contains(type.Value, StringComparer.Ordinal))
                    {
                        Error(type.Location, $"unknown input type '{type.Value}'; use {string.Join(", ", allowedTypes)}");
                        type = null;
                    }

                    break;
                case "options" when !isCall:
                    optionsKey = key;
                    options = ReadStringList(value, $"{what}.options");
                    break;
                default:
                    UnknownKey(key, allowedKeys, what);
                    break;
            }
        }

        if (isCall && map["type"] is null)
        {
            Error(name.Location, $"input '{name.Value}' of workflow_call needs a 'type' ({string.Join(", ", allowedTypes)})");
        }

        var typeName = type?.Value ?? "string";
        if (typeName == "choice" && (options is null || options.Count == 0))
        {
            Error(name.Location, $"choice input '{name.Value}' needs 'options'");
        }
        else if (typeName != "choice" && optionsKey is not null)
        {
            Error(optionsKey.Location, $"'options' can only be used with 'type: choice'");
        }

        if (defaultValue is not null && !defaultValue.IsNull)
        {
            CheckInputDefault(name.Value, typeName, defaultValue, options, isCall);
        }

        return new InputDefinition
        {
            Name = name.Value,
            Location = name.Location,
            Description = description,
            Required = required,
            Type = typeName,
            Default = defaultValue,
            Options = options?.Select(o => o.Value).ToList() ?? [],
        };
    }

    private void CheckInputDefault(string name, string type, ScalarToken value, List<ScalarToken>? options, bool isCall)
    {
        if (value.HasExpression)
        {
            if (!isCall)
            {
                NoExpression(value, $"the default of input '{name}'");
            }

            return;
        }

        switch (type)
        {
            case "boolean" when !value.TryGetBoolean(out _):
                Error(value.Location, $"the default of boolean input '{name}' must be true or false, not '{value.Value}'");
                break;
            case "number" when !value.TryGetNumber(out _):
                Error(value.Location, $"the default of number input '{name}' must be a number, not '{value.Value}'");
                break;
            case "choice" when options is not null && options.Count > 0 && !options.Any(o => o.Value == value.Value):
                Error(value.Location, $"the default '{value.Value}' of choice input '{name}' is not one of its options");
                break;
        }
    }

    private List<KeyValuePair<string, ScalarToken>> ReadCallOutputs(TemplateToken token, string what)
    {
        var outputs = new List<KeyValuePair<string, ScalarToken>>();
        if (ReadMapping(token, what) is not { } map)
        {
            return outputs;
        }

        foreach (var (name, value) in map.Pairs)
        {
            if (ReadMapping(value, $"{what}.{name.Value}") is not { } output)
            {
                continue;
            }

            ScalarToken? outputValue = null;
            foreach (var (key, item) in output.Pairs)
            {
                switch (key.Value)
                {
                    case "description":
                        ReadString(item, $"{what}.{name.Value}.description", allowEmpty: true);
                        break;
                    case "value":
                        outputValue = ReadString(item, $"{what}.{name.Value}.value");
                        break;
                    default:
                        UnknownKey(key, CallOutputKeys, $"{what}.{name.Value}");
                        break;
                }
            }

            if (outputValue is not null)
            {
                outputs.Add(new KeyValuePair<string, ScalarToken>(name.Value, outputValue));
            }
            else if (output["value"] is null)
            {
                Error(name.Location, $"output '{name.Value}' of workflow_call needs a 'value'");
            }
        }

        return outputs;
    }

    private List<KeyValuePair<string, bool>> ReadCallSecrets(TemplateToken token, string what)
    {
        var secrets = new List<KeyValuePair<string, bool>>();
        if (ReadMapping(token, what) is not { } map)
        {
            return secrets;
        }

        foreach (var (name, value) in map.Pairs)
        {
            var required = false;
            if (ReadMapping(value, $"{what}.{name.Value}") is { } secret)
            {
                foreach (var (key, item) in secret.Pairs)
                {
                    switch (key.Value)
                    {
                        case "description":
                            ReadString(item, $"{what}.{name.Value}.description", allowEmpty: true);
                            break;
                        case "required":
                            required = ReadBoolean(item, $"{what}.{name.Value}.required") ?? false;
                            break;
                        default:
                            UnknownKey(key, CallSecretKeys, $"{what}.{name.Value}");
                            break;
                    }
                }
            }

            secrets.Add(new KeyValuePair<string, bool>(name.Value, required));
        }

        return secrets;
    }

    private List<ScalarToken> ReadSchedules(TemplateToken token, string what)
    {
        var crons = new List<ScalarToken>();
        if (token is not SequenceToken sequence)
        {
            Error(token.Location, $"'{what}' must be a sequence of cron entries, such as '- cron: \"0 3 * * *\"', not {token.KindName}");
            return crons;
        }

        foreach (var item in sequence.Items)
        {
            if (ReadMapping(item, $"{what}[]", nullIsEmpty: false) is not { } entry)
            {
                continue;
            }

            foreach (var (key, value) in entry.Pairs)
            {
                if (key.Value != "cron")
                {
                    UnknownKey(key, ScheduleKeys, what);
                    continue;
                }

                if (ReadString(value, $"{what}.cron") is not { } cron)
                {
                    continue;
                }

                if (CronSchedule.TryParse(cron.Value, out _, out var error))
                {
                    crons.Add(cron);
                }
                else
                {
                    Error(cron.Location, error!);
                }
            }

            if (entry["cron"] is null)
            {
                Error(entry.Location, $"an entry of '{what}' needs a 'cron'");
            }
        }

        return crons;
    }
}
