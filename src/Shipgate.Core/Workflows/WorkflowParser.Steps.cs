using System.Text.RegularExpressions;

namespace Shipgate.Core.Workflows;

/// <summary>The <c>steps:</c> of a job.</summary>
internal sealed partial class WorkflowParser
{
    private static readonly string[] StepKeys =
    [
        "id", "name", "if", "run", "shell", "working-directory", "env", "uses", "with", "continue-on-error", "timeout-minutes",
    ];

    private static readonly string[] KnownShells = ["bash", "sh", "pwsh", "powershell", "python", "cmd"];

    private List<StepDefinition> ReadSteps(TemplateToken token, string what, string jobId)
    {
        var steps = new List<StepDefinition>();
        if (token is not SequenceToken sequence)
        {
            Error(token.Location, $"'{what}' must be a sequence of steps, not {token.KindName}");
            return steps;
        }

        if (sequence.Items.Count == 0)
        {
            Error(token.Location, $"job '{jobId}' has no steps");
        }

        for (var i = 0; i < sequence.Items.Count; i++)
        {
            if (ReadMapping(sequence.Items[i], $"{what}[{i}]", nullIsEmpty: false) is { } map)
            {
                steps.Add(ReadStep(map, i, $"{what}[{i}]"));
            }
        }

        return steps;
    }

    private StepDefinition ReadStep(MappingToken map, int index, string what)
    {
        ScalarToken? id = null;
        ScalarToken? name = null;
        ScalarToken? condition = null;
        ScalarToken? run = null;
        ScalarToken? shell = null;
        ScalarToken? workingDirectory = null;
        IReadOnlyList<KeyValuePair<string, ScalarToken>> env = [];
        ScalarToken? uses = null;
        IReadOnlyList<KeyValuePair<string, ScalarToken>> with = [];
        ScalarToken? continueOnError = null;
        ScalarToken? timeoutMinutes = null;
        foreach (var (key, value) in map.Pairs)
        {
            var keyWhat = $"{what}.{key.Value}";
            switch (key.Value)
            {
                case "id":
                    id = ReadStepId(value, keyWhat);
                    break;
                case "name":
                    name = ReadString(value, keyWhat, allowEmpty: true);
                    break;
                case "if":
                    condition = ReadString(value, keyWhat, allowEmpty: true);
                    break;
                case "run":
                    run = ReadString(value, keyWhat);
                    break;
                case "shell":
                    shell = ReadShell(value, keyWhat);
                    break;
                case "working-directory":
                    workingDirectory = ReadString(value, keyWhat);
                    break;
                case "env":
                    env = ReadStringMap(value, keyWhat);
                    break;
                case "uses":
                    uses = ReadActionReference(value, keyWhat);
                    break;
                case "with":
                    with = ReadStringMap(value, keyWhat);
                    break;
                case "continue-on-error":
                    continueOnError = ReadBooleanOrExpression(value, keyWhat);
                    break;
                case "timeout-minutes":
                    timeoutMinutes = ReadNumberOrExpression(value, keyWhat);
                    break;
                default:
                    UnknownKey(key, StepKeys, what);
                    break;
            }
        }

        CheckStepShape(map);
        return new StepDefinition
        {
            Index = index,
            Location = map.Location,
            Id = id?.Value,
            IdToken = id,
            Name = name,
            If = condition,
            Run = run,
            Shell = shell,
            WorkingDirectory = workingDirectory,
            Env = env,
            Uses = uses,
            With = with,
            ContinueOnError = continueOnError,
            TimeoutMinutes = timeoutMinutes,
        };
    }

    /// <summary>
    /// Keys that belong to the other kind of step. Having both run and uses (or neither) is reported by
    /// the validator; these checks only apply once the kind is clear.
    /// </summary>
    private void CheckStepShape(MappingToken map)
    {
        var hasRun = map["run"] is not null;
        var hasUses = map["uses"] is not null;
        if (hasRun == hasUses)
        {
            return;
        }

        foreach (var (key, _) in map.Pairs)
        {
            if (hasUses && key.Value is "shell" or "working-directory")
            {
                Error(key.Location, $"'{key.Value}' can only be used in a step with 'run'");
            }
            else if (hasRun && key.Value == "with")
            {
                Error(key.Location, "'with' can only be used in a step with 'uses'");
            }
        }
    }

    private ScalarToken? ReadStepId(TemplateToken token, string what)
    {
        if (ReadString(token, what) is not { } id)
        {
            return null;
        }

        if (id.HasExpression)
        {
            NoExpression(id, what);
        }
        else if (!IsValidId(id.Value))
        {
            Error(id.Location, $"step id '{id.Value}' is invalid: it must start with a letter or '_' and contain only letters, digits, '-' and '_'");
        }

        return id;
    }

    private ScalarToken? ReadActionReference(TemplateToken token, string what)
    {
        if (ReadString(token, what) is not { } uses)
        {
            return null;
        }

        if (uses.HasExpression)
        {
            NoExpression(uses, what);
        }
        else if (!uses.Value.StartsWith("./", StringComparison.Ordinal)
            && !uses.Value.StartsWith("docker://", StringComparison.Ordinal)
            && !ActionReferenceRegex().IsMatch(uses.Value))
        {
            Error(uses.Location, $"'{what}' must be 'owner/repo@ref', 'owner/repo/path@ref' or './path', not '{uses.Value}'");
        }

        return uses;
    }

    [GeneratedRegex(@"^[^/@\s]+/[^/@\s]+(/[^@\s]+)?@[^@\s]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ActionReferenceRegex();
}
