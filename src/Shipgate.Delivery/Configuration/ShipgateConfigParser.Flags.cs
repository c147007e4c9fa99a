using System.Buffers;
using System.Text.Json;
using Shipgate.Core.Workflows;
using Shipgate.Flags;
using Shipgate.Flags.Document;

namespace Shipgate.Delivery.Configuration;

internal sealed partial class ShipgateConfigParser
{
    private static readonly string[] FlagKeys =
        ["type", "description", "enabled", "variants", "default-variant", "off-variant", "rules", "environments"];

    private static readonly string[] FlagOverrideKeys = ["enabled", "default-variant", "rules"];
    private static readonly string[] RuleKeys = ["name", "targets", "constraints", "variant", "rollout"];
    private static readonly string[] ConstraintKeys = ["context", "operator", "values", "value", "inverted", "case-insensitive"];
    private static readonly string[] RolloutKeys = ["percentage", "group-id", "stickiness", "variants"];
    private static readonly string[] RolloutVariantKeys = ["name", "weight", "weight-type"];

    /// <summary>
    /// Reads <c>flags:</c>, a mapping from key to the library's flag model in kebab-case; each flag, and each
    /// environment's override of it, is checked with the library's compiler and its sentences reported at the key.
    /// </summary>
    private List<FileFlag> ReadFlags(TemplateToken token)
    {
        var flags = new List<FileFlag>();
        var map = ReadMapping(token, "flags");
        if (map is null)
        {
            return flags;
        }

        foreach (var (key, value) in map.Pairs)
        {
            if (ReadFlag(key, value) is { } flag)
            {
                flags.Add(flag);
            }
        }

        return flags;
    }

    private FileFlag? ReadFlag(ScalarToken key, TemplateToken token)
    {
        var what = $"flags.{key.Value}";
        var map = ReadMapping(token, what);
        if (map is null)
        {
            return null;
        }

        var definition = new FlagDefinition { Key = key.Value };
        var overrides = new List<(ScalarToken Environment, bool? Enabled, string? DefaultVariant, List<FlagRule>? Rules)>();
        foreach (var (name, value) in map.Pairs)
        {
            switch (name.Value)
            {
                case "type":
                    definition.Type = ReadString(value, $"{what}.type")?.Value;
                    break;
                case "description":
                    definition.Description = ReadString(value, $"{what}.description")?.Value;
                    break;
                case "enabled":
                    definition.Enabled = ReadBoolean(value, $"{what}.enabled") ?? definition.Enabled;
                    break;
                case "variants":
                    definition.Variants = ReadVariants(value, $"{what}.variants");
                    break;
                case "default-variant":
                    definition.DefaultVariant = ReadString(value, $"{what}.default-variant")?.Value;
                    break;
                case "off-variant":
                    definition.OffVariant = ReadString(value, $"{what}.off-variant")?.Value;
                    break;
                case "rules":
                    definition.Rules = ReadRules(value, $"{what}.rules");
                    break;
                case "environments":
                    foreach (var (environment, body) in ReadMapping(value, $"{what}.environments")?.Pairs ?? [])
                    {
                        var where = $"{what}.environments.{environment.Value}";
                        var fields = ReadMapping(body, where);
                        overrides.Add((
                            environment,
                            fields?["enabled"] is { } enabled ? ReadBoolean(enabled, $"{where}.enabled") : null,
                            fields?["default-variant"] is { } variant ? ReadString(variant, $"{where}.default-variant")?.Value : null,
                            fields?["rules"] is { } rules ? ReadRules(rules, $"{where}.rules") : null));
                        foreach (var unknown in fields?.Pairs.Select(p => p.Key).Where(k => !FlagOverrideKeys.Contains(k.Value)) ?? [])
                        {
                            UnknownKey(unknown, FlagOverrideKeys, where);
                        }
                    }

                    break;
                default:
                    UnknownKey(name, FlagKeys, what);
                    break;
            }
        }

        var baseIsValid = CheckFlag(key, what, definition);
        var valid = baseIsValid;
        var resolved = new Dictionary<string, FlagDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var (environment, enabled, defaultVariant, rules) in overrides)
        {
            var merged = new FlagDefinition
            {
                Key = definition.Key,
                Type = definition.Type,
                Description = definition.Description,
                Variants = definition.Variants,
                OffVariant = definition.OffVariant,
                Enabled = enabled ?? definition.Enabled,
                DefaultVariant = defaultVariant ?? definition.DefaultVariant,
                Rules = rules ?? definition.Rules,
            };
            // A broken base is reported once, not again for every environment.
            if (baseIsValid)
            {
                valid &= CheckFlag(environment, $"{what}.environments.{environment.Value}", merged);
            }

            resolved[environment.Value] = merged;
            _flagEnvironments.Add(environment);
        }

        return valid ? new FileFlag { Key = key.Value, Location = key.Location, Definition = definition, Overrides = resolved } : null;
    }

    /// <summary>Checks one flag with the library's compiler, reporting its sentences at <paramref name="at"/>.</summary>
    private bool CheckFlag(ScalarToken at, string what, FlagDefinition definition)
    {
        var result = FlagConfiguration.Compile(new FlagDocument { Version = 1, Flags = [definition] });
        foreach (var error in result.Errors)
        {
            // The library names a place in its JSON document ("$.flags[0].rules[1]: ..."); the file's name reads better.
            Error(at.Location, what + error.Replace("$.flags[0]", "", StringComparison.Ordinal).TrimStart('$'));
        }

        return result.Errors.Count == 0;
    }

    private Dictionary<string, JsonElement>? ReadVariants(TemplateToken token, string what)
    {
        var map = ReadMapping(token, what);
        if (map is null)
        {
            return null;
        }

        var variants = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, value) in map.Pairs)
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                WriteJson(writer, value);
            }

            using var json = JsonDocument.Parse(buffer.WrittenMemory);
            variants[name.Value] = json.RootElement.Clone();
        }

        return variants;
    }

    /// <summary>Writes a YAML value as JSON with the YAML 1.2 core schema: plain true/false, numbers and null keep their type.</summary>
    private static void WriteJson(Utf8JsonWriter writer, TemplateToken token)
    {
        switch (token)
        {
            case MappingToken map:
                writer.WriteStartObject();
                foreach (var (key, value) in map.Pairs)
                {
                    writer.WritePropertyName(key.Value);
                    WriteJson(writer, value);
                }

                writer.WriteEndObject();
                break;
            case SequenceToken sequence:
                writer.WriteStartArray();
                foreach (var item in sequence.Items)
                {
                    WriteJson(writer, item);
                }

                writer.WriteEndArray();
                break;
            case ScalarToken { IsNull: true }:
                writer.WriteNullValue();
                break;
            case ScalarToken scalar when scalar.TryGetBoolean(out var boolean):
                writer.WriteBooleanValue(boolean);
                break;
            case ScalarToken scalar when scalar.TryGetNumber(out var number) && double.IsFinite(number):
                writer.WriteNumberValue(number);
                break;
            case ScalarToken scalar:
                writer.WriteStringValue(scalar.Value);
                break;
        }
    }

    private List<FlagRule>? ReadRules(TemplateToken token, string what) =>
        ReadList(token, what, "rules (- variant: ..., constraints: [...])", (item, at) =>
        {
            var map = ReadMapping(item, at);
            if (map is null)
            {
                return null;
            }

            var rule = new FlagRule();
            foreach (var (name, value) in map.Pairs)
            {
                switch (name.Value)
                {
                    case "name":
                        rule.Name = ReadString(value, $"{at}.name")?.Value;
                        break;
                    case "targets":
                        rule.Targets = ReadStringList(value, $"{at}.targets")?.Select(t => t.Value).ToList();
                        break;
                    case "constraints":
                        rule.Constraints = ReadList(value, $"{at}.constraints", "constraints (- context: ..., operator: ...)", ReadConstraint);
                        break;
                    case "variant":
                        rule.Variant = ReadString(value, $"{at}.variant")?.Value;
                        break;
                    case "rollout":
                        rule.Rollout = ReadRollout(value, $"{at}.rollout");
                        break;
                    default:
                        UnknownKey(name, RuleKeys, at);
                        break;
                }
            }

            return rule;
        });

    private FlagConstraint? ReadConstraint(TemplateToken token, string what)
    {
        var map = ReadMapping(token, what);
        if (map is null)
        {
            return null;
        }

        var constraint = new FlagConstraint();
        foreach (var (name, value) in map.Pairs)
        {
            switch (name.Value)
            {
                case "context":
                    constraint.ContextName = ReadString(value, $"{what}.context")?.Value;
                    break;
                case "operator":
                    constraint.Operator = ReadString(value, $"{what}.operator")?.Value;
                    break;
                case "values":
                    constraint.Values = ReadStringList(value, $"{what}.values")?.Select(v => v.Value).ToList();
                    break;
                case "value":
                    constraint.Value = ReadString(value, $"{what}.value")?.Value;
                    break;
                case "inverted":
                    constraint.Inverted = ReadBoolean(value, $"{what}.inverted") ?? false;
                    break;
                case "case-insensitive":
                    constraint.CaseInsensitive = ReadBoolean(value, $"{what}.case-insensitive") ?? false;
                    break;
                default:
                    UnknownKey(name, ConstraintKeys, what);
                    break;
            }
        }

        return constraint;
    }

    private FlagRollout? ReadRollout(TemplateToken token, string what)
    {
        var map = ReadMapping(token, what);
        if (map is null)
        {
            return null;
        }

        var rollout = new FlagRollout();
        foreach (var (name, value) in map.Pairs)
        {
            switch (name.Value)
            {
                case "percentage":
                    rollout.Percentage = ReadNumber(value, $"{what}.percentage");
                    break;
                case "group-id":
                    rollout.GroupId = ReadString(value, $"{what}.group-id")?.Value;
                    break;
                case "stickiness":
                    rollout.Stickiness = ReadString(value, $"{what}.stickiness")?.Value;
                    break;
                case "variants":
                    rollout.Variants = ReadList(value, $"{what}.variants", "variants (- name: ..., weight: ...)", ReadRolloutVariant);
                    break;
                default:
                    UnknownKey(name, RolloutKeys, what);
                    break;
            }
        }

        return rollout;
    }

    private FlagRolloutVariant? ReadRolloutVariant(TemplateToken token, string what)
    {
        var map = ReadMapping(token, what);
        if (map is null)
        {
            return null;
        }

        var variant = new FlagRolloutVariant();
        foreach (var (name, value) in map.Pairs)
        {
            switch (name.Value)
            {
                case "name":
                    variant.Name = ReadString(value, $"{what}.name")?.Value;
                    break;
                case "weight":
                    variant.Weight = ReadInteger(value, $"{what}.weight", int.MinValue, int.MaxValue);
                    break;
                case "weight-type":
                    variant.WeightType = ReadString(value, $"{what}.weight-type")?.Value;
                    break;
                default:
                    UnknownKey(name, RolloutVariantKeys, what);
                    break;
            }
        }

        return variant;
    }

    /// <summary>Any number; the library checks its range, so the file's author reads one sentence for it.</summary>
    private double? ReadNumber(TemplateToken token, string what)
    {
        var scalar = ReadString(token, what);
        if (scalar is null)
        {
            return null;
        }

        if (!scalar.TryGetNumber(out var number))
        {
            Error(scalar.Location, $"'{what}' must be a number, not '{scalar.Value}'");
            return null;
        }

        return number;
    }

    /// <summary>A sequence read item by item; bad items are reported and left out.</summary>
    private List<T>? ReadList<T>(TemplateToken token, string what, string shape, Func<TemplateToken, string, T?> read)
        where T : class
    {
        if (token is not SequenceToken sequence)
        {
            Error(token.Location, $"'{what}' must be a sequence of {shape}, not {token.KindName}");
            return null;
        }

        var items = new List<T>();
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            if (read(sequence.Items[i], $"{what}[{i}]") is { } item)
            {
                items.Add(item);
            }
        }

        return items;
    }
}
