using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Shipgate.Flags.Document;

namespace Shipgate.Flags.Compiled;

/// <summary>
/// Checks a flag document in one pass, reporting every problem as one sentence that starts with its JSON path, and
/// compiles it when there is none.
/// </summary>
internal sealed class FlagCompiler
{
    public const int SupportedVersion = 1;
    public const int TotalWeight = 1000;
    private const int MaxRegexLength = 1000;

    private readonly List<string> _errors = [];

    public static (Dictionary<string, CompiledFlag>? Flags, List<string> Errors) Compile(FlagDocument document)
    {
        var compiler = new FlagCompiler();
        var flags = compiler.CompileDocument(document);
        return (compiler._errors.Count == 0 ? flags : null, compiler._errors);
    }

    private Dictionary<string, CompiledFlag> CompileDocument(FlagDocument document)
    {
        var flags = new Dictionary<string, CompiledFlag>(StringComparer.Ordinal);
        if (document.Version != SupportedVersion)
        {
            Error("$.version", $"the version is {document.Version}; this evaluator reads version {SupportedVersion}");
        }

        if (document.Flags is null)
        {
            Error("$.flags", "the document has no flags list");
            return flags;
        }

        for (var i = 0; i < document.Flags.Count; i++)
        {
            var path = $"$.flags[{i}]";
            if (CompileFlag(document.Flags[i], path) is not { } flag)
            {
                continue;
            }

            if (!flags.TryAdd(flag.Key, flag))
            {
                Error($"{path}.key", $"the key '{flag.Key}' is used by an earlier flag");
            }
        }

        return flags;
    }

    private CompiledFlag? CompileFlag(FlagDefinition? definition, string path)
    {
        if (definition is null)
        {
            Error(path, "a flag must be an object");
            return null;
        }

        var errorsBefore = _errors.Count;
        if (string.IsNullOrEmpty(definition.Key))
        {
            Error($"{path}.key", "a flag needs a key");
        }

        FlagType? type = definition.Type switch
        {
            "boolean" => FlagType.Boolean,
            "string" => FlagType.String,
            "number" => FlagType.Number,
            "object" => FlagType.Object,
            _ => null,
        };
        if (type is null)
        {
            Error($"{path}.type", $"the type is {Quote(definition.Type)}; it must be boolean, string, number or object");
        }

        var names = new List<string>();
        var values = new List<JsonElement>();
        if (definition.Variants is not { Count: > 0 })
        {
            Error($"{path}.variants", "a flag needs at least one variant");
        }
        else
        {
            foreach (var (name, value) in definition.Variants)
            {
                if (type is { } t && !HasType(value, t))
                {
                    Error($"{path}.variants.{name}",
                        $"the value is {Describe(value)}, but the flag's type is {FlagNames.Type(t)}");
                }

                names.Add(name);
                values.Add(value);
            }
        }

        var defaultVariant = VariantIndex(names, definition.DefaultVariant, $"{path}.defaultVariant");
        var offVariant = definition.OffVariant is null
            ? defaultVariant
            : VariantIndex(names, definition.OffVariant, $"{path}.offVariant");

        var rules = new List<CompiledRule>();
        for (var j = 0; j < (definition.Rules?.Count ?? 0); j++)
        {
            if (CompileRule(definition.Rules![j], definition.Key ?? "", names, $"{path}.rules[{j}]") is { } rule)
            {
                rules.Add(rule);
            }
        }

        if (_errors.Count != errorsBefore)
        {
            return null;
        }

        return new CompiledFlag
        {
            Key = definition.Key!,
            Type = type!.Value,
            Enabled = definition.Enabled,
            VariantNames = [.. names],
            Values = [.. values],
            Booleans = [.. values.Select(v => v.ValueKind == JsonValueKind.True)],
            Strings = [.. values.Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : null)],
            Numbers = [.. values.Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0)],
            DefaultVariant = defaultVariant,
            OffVariant = offVariant,
            Rules = [.. rules],
        };
    }

    private CompiledRule? CompileRule(FlagRule? rule, string flagKey, List<string> names, string path)
    {
        if (rule is null)
        {
            Error(path, "a rule must be an object");
            return null;
        }

        var errorsBefore = _errors.Count;
        StringSet? targets = null;
        if (rule.Targets is not null)
        {
            if (rule.Targets.Count == 0 || rule.Targets.Any(string.IsNullOrEmpty))
            {
                Error($"{path}.targets", "the targets must be a non-empty list of targeting keys");
            }

            targets = new StringSet(rule.Targets.Where(t => !string.IsNullOrEmpty(t)));
        }

        var constraints = new List<CompiledConstraint>();
        for (var k = 0; k < (rule.Constraints?.Count ?? 0); k++)
        {
            if (CompileConstraint(rule.Constraints![k], $"{path}.constraints[{k}]") is { } constraint)
            {
                constraints.Add(constraint);
            }
        }

        var variant = -1;
        CompiledRollout? rollout = null;
        if ((rule.Variant is null) == (rule.Rollout is null))
        {
            Error(path, "a rule serves either a variant or a rollout, and must have exactly one of them");
        }
        else if (rule.Variant is not null)
        {
            variant = VariantIndex(names, rule.Variant, $"{path}.variant");
        }
        else
        {
            rollout = CompileRollout(rule.Rollout!, flagKey, names, $"{path}.rollout");
        }

        return _errors.Count == errorsBefore ? new CompiledRule(targets, [.. constraints], variant, rollout) : null;
    }

    private CompiledRollout? CompileRollout(FlagRollout rollout, string flagKey, List<string> names, string path)
    {
        var errorsBefore = _errors.Count;
        if (rollout.Percentage is not { } percentage)
        {
            Error($"{path}.percentage", "a rollout needs a percentage");
            percentage = 0;
        }
        else if (!(percentage >= 0 && percentage <= 100))
        {
            Error($"{path}.percentage", $"the percentage is {Number(percentage)}; it must be between 0 and 100");
        }

        if (rollout.GroupId is "")
        {
            Error($"{path}.groupId", "the group id is empty; leave it out to use the flag key");
        }

        if (rollout.Stickiness is "")
        {
            Error($"{path}.stickiness", "the stickiness is empty; leave it out for the default (userId, then sessionId, then random)");
        }

        if (rollout.Variants is not { Count: > 0 })
        {
            Error($"{path}.variants", "a rollout needs at least one variant");
            return null;
        }

        var indexes = new int[rollout.Variants.Count];
        var weights = new int[rollout.Variants.Count];
        var fixedTotal = 0;
        var variableCount = 0;
        var weightErrorsBefore = _errors.Count;
        for (var v = 0; v < rollout.Variants.Count; v++)
        {
            var variantPath = $"{path}.variants[{v}]";
            var entry = rollout.Variants[v];
            if (entry is null)
            {
                Error(variantPath, "a rollout variant must be an object");
                continue;
            }

            indexes[v] = VariantIndex(names, entry.Name, $"{variantPath}.name");
            switch (entry.WeightType)
            {
                case null or "variable":
                    variableCount++;
                    break;
                case "fix":
                    if (entry.Weight is not { } weight || weight < 0 || weight > TotalWeight)
                    {
                        var given = Quote(entry.Weight?.ToString(CultureInfo.InvariantCulture));
                        Error($"{variantPath}.weight", $"a fixed weight must be between 0 and {TotalWeight} (it is {given})");
                    }
                    else
                    {
                        weights[v] = weight;
                        fixedTotal += weight;
                    }

                    break;
                default:
                    Error($"{variantPath}.weightType", $"the weight type is {Quote(entry.WeightType)}; it must be fix or variable");
                    break;
            }
        }

        if (_errors.Count != weightErrorsBefore)
        {
            // The sums mean little while a weight itself is wrong.
        }
        else if (variableCount == 0 && fixedTotal != TotalWeight)
        {
            Error($"{path}.variants", $"the fixed weights add up to {fixedTotal}; they must add up to {TotalWeight} (100%)");
        }
        else if (fixedTotal > TotalWeight)
        {
            Error($"{path}.variants", $"the fixed weights add up to {fixedTotal}, more than {TotalWeight} (100%)");
        }

        if (_errors.Count != errorsBefore)
        {
            return null;
        }

        var divided = DivideWeights([.. rollout.Variants.Select((v, i) => v!.WeightType == "fix" ? weights[i] : (int?)null)]);
        return new CompiledRollout(percentage, rollout.GroupId ?? flagKey, rollout.Stickiness ?? "default", indexes, divided);
    }

    /// <summary>
    /// The weights out of 1000 for fixed weights (given) and variable ones (null), which share what the fixed ones
    /// leave as Unleash divides it: each takes round(remaining / variable variants left), in order, so they add up.
    /// </summary>
    internal static int[] DivideWeights(IReadOnlyList<int?> fixedWeights)
    {
        var remaining = TotalWeight - fixedWeights.Sum(w => w ?? 0);
        var variableCount = fixedWeights.Count(w => w is null);
        var weights = new int[fixedWeights.Count];
        for (var v = 0; v < weights.Length; v++)
        {
            if (fixedWeights[v] is { } fixedWeight)
            {
                weights[v] = fixedWeight;
                continue;
            }

            var share = Math.Max((int)Math.Floor(((double)remaining / variableCount) + 0.5), 0);
            weights[v] = share;
            remaining -= share;
            variableCount--;
        }

        return weights;
    }

    private CompiledConstraint? CompileConstraint(FlagConstraint? constraint, string path)
    {
        if (constraint is null)
        {
            Error(path, "a constraint must be an object");
            return null;
        }

        var errorsBefore = _errors.Count;
        if (string.IsNullOrEmpty(constraint.ContextName))
        {
            Error($"{path}.contextName", "a constraint needs a context name");
        }

        ConstraintOperator? op = constraint.Operator switch
        {
            "IN" => ConstraintOperator.In,
            "NOT_IN" => ConstraintOperator.NotIn,
            "STR_CONTAINS" => ConstraintOperator.StrContains,
            "STR_STARTS_WITH" => ConstraintOperator.StrStartsWith,
            "STR_ENDS_WITH" => ConstraintOperator.StrEndsWith,
            "NUM_EQ" => ConstraintOperator.NumEq,
            "NUM_GT" => ConstraintOperator.NumGt,
            "NUM_GTE" => ConstraintOperator.NumGte,
            "NUM_LT" => ConstraintOperator.NumLt,
            "NUM_LTE" => ConstraintOperator.NumLte,
            "SEMVER_EQ" => ConstraintOperator.SemverEq,
            "SEMVER_GT" => ConstraintOperator.SemverGt,
            "SEMVER_LT" => ConstraintOperator.SemverLt,
            "SEMVER_GTE" => ConstraintOperator.SemverGte,
            "SEMVER_LTE" => ConstraintOperator.SemverLte,
            "DATE_AFTER" => ConstraintOperator.DateAfter,
            "DATE_BEFORE" => ConstraintOperator.DateBefore,
            "REGEX" => ConstraintOperator.Regex,
            _ => null,
        };
        if (op is null)
        {
            Error($"{path}.operator", $"the operator is {Quote(constraint.Operator)}; it must be one of IN, NOT_IN, STR_CONTAINS, "
                + "STR_STARTS_WITH, STR_ENDS_WITH, NUM_EQ, NUM_GT, NUM_GTE, NUM_LT, NUM_LTE, SEMVER_EQ, SEMVER_GT, SEMVER_LT, SEMVER_GTE, SEMVER_LTE, "
                + "DATE_AFTER, DATE_BEFORE, REGEX");
            return null;
        }

        var listOperator = op <= ConstraintOperator.StrEndsWith;
        string[] values = [];
        double number = 0;
        SemanticVersion version = default;
        DateTimeOffset date = default;
        Regex? regex = null;
        if (listOperator)
        {
            // As unleash-client does: empty values are dropped and the rest trimmed.
            values = [.. (constraint.Values ?? []).Where(v => !string.IsNullOrEmpty(v)).Select(v => v.Trim())];
            if (constraint.Values is not { Count: > 0 } || constraint.Value is not null)
            {
                Error(path, $"{constraint.Operator} takes a non-empty list of values (\"values\"), not a single \"value\"");
            }
        }
        else if (constraint.Value is not { } value || constraint.Values is not null)
        {
            Error(path, $"{constraint.Operator} takes a single value (\"value\"), not a list of values");
        }
        else if (op <= ConstraintOperator.NumLte)
        {
            if (!CompiledConstraint.TryParseNumber(value, out number) || value.Trim().Length == 0)
            {
                Error($"{path}.value", $"{Quote(value)} is not a number");
            }
        }
        else if (op <= ConstraintOperator.SemverLte)
        {
            if (!SemanticVersion.TryParse(value, out version))
            {
                Error($"{path}.value", $"{Quote(value)} is not a semantic version (MAJOR.MINOR.PATCH[-prerelease][+build])");
            }
        }
        else if (op <= ConstraintOperator.DateBefore)
        {
            if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date))
            {
                Error($"{path}.value", $"{Quote(value)} is not a date and time (ISO 8601, e.g. 2026-12-24T00:00:00Z)");
            }
        }
        else
        {
            regex = CompileRegex(value, constraint.CaseInsensitive, $"{path}.value");
        }

        return _errors.Count == errorsBefore
            ? new CompiledConstraint(op.Value, constraint.ContextName!, constraint.Inverted, constraint.CaseInsensitive, values,
                number, version, date, regex)
            : null;
    }

    private Regex? CompileRegex(string pattern, bool caseInsensitive, string path)
    {
        if (pattern.Length > MaxRegexLength)
        {
            Error(path, $"the regular expression is {pattern.Length} characters long; at most {MaxRegexLength} are allowed");
            return null;
        }

        // Non-backtracking, like the RE2 engine unleash-client uses: matching time is linear in the input, so a
        // pattern cannot stall evaluation, and constructs RE2 lacks (backreferences, lookaround) do not compile.
        var options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | (caseInsensitive ? RegexOptions.IgnoreCase : 0);
        try
        {
            return new Regex(pattern, options);
        }
        catch (RegexParseException ex)
        {
            // The exception's message is two sentences; its error code, spelled out, is one clause.
            var reason = Regex.Replace(ex.Error.ToString(), "(?<=[a-z])(?=[A-Z])", " ").ToLowerInvariant();
            Error(path, $"the regular expression {Quote(pattern)} does not compile: {reason} at offset {ex.Offset}");
        }
        catch (NotSupportedException)
        {
            Error(path, $"the regular expression {Quote(pattern)} uses backreferences or lookaround, which flags do not support");
        }

        return null;
    }

    private int VariantIndex(List<string> names, string? name, string path)
    {
        if (name is null)
        {
            Error(path, "a variant name is needed here");
            return -1;
        }

        var index = names.IndexOf(name);
        if (index < 0 && names.Count > 0)
        {
            Error(path, $"there is no variant '{name}'; the flag's variants are {string.Join(", ", names)}");
        }

        return index;
    }

    private static bool HasType(JsonElement value, FlagType type) => type switch
    {
        FlagType.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        FlagType.String => value.ValueKind == JsonValueKind.String,
        FlagType.Number => value.ValueKind == JsonValueKind.Number,
        _ => value.ValueKind is JsonValueKind.Object or JsonValueKind.Array,
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Null => "null",
        _ => "an object",
    };

    private static string Quote(string? text) => text is null ? "missing" : $"'{text}'";

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    private void Error(string path, string message) => _errors.Add($"{path}: {message}.");
}
