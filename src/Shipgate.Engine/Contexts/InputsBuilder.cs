using System.Globalization;
using Shipgate.Core.Expressions;
using Shipgate.Core.Workflows;

namespace Shipgate.Engine.Contexts;

/// <summary>
/// The <c>inputs</c> context of workflow_dispatch and workflow_call: the values given, else the
/// defaults, typed by each input's type (boolean and number inputs are booleans and numbers).
/// </summary>
internal static class InputsBuilder
{
    public static ObjectValue Build(IReadOnlyList<InputDefinition> definitions, IReadOnlyDictionary<string, ExpressionValue> given, Func<ScalarToken, ExpressionValue> evaluateDefault)
    {
        var inputs = new ObjectValue();
        foreach (var definition in definitions)
        {
            var value = given.FirstOrDefault(g => string.Equals(g.Key, definition.Name, StringComparison.OrdinalIgnoreCase)).Value
                ?? (definition.Default is { } token ? evaluateDefault(token) : null);
            inputs.Set(definition.Name, Typed(definition.Type, value));
        }

        foreach (var pair in given)
        {
            if (!inputs.TryGetValue(pair.Key, out _))
            {
                inputs.Set(pair.Key, pair.Value);
            }
        }

        return inputs;
    }

    private static ExpressionValue Typed(string type, ExpressionValue? value)
    {
        switch (type)
        {
            case "boolean":
                return value switch
                {
                    BooleanValue b => b,
                    StringValue s => ExpressionValue.FromBoolean(string.Equals(s.Value.Trim(), "true", StringComparison.OrdinalIgnoreCase)),
                    NumberValue n => ExpressionValue.FromBoolean(n.Value != 0),
                    _ => ExpressionValue.False,
                };
            case "number":
                return value switch
                {
                    NumberValue n => n,
                    StringValue s when double.TryParse(s.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => ExpressionValue.FromNumber(parsed),
                    BooleanValue b => ExpressionValue.FromNumber(b.Value ? 1 : 0),
                    _ => ExpressionValue.FromNumber(0),
                };
            default:
                return value is null or { Kind: ValueKind.Null } ? ExpressionValue.FromString("") : ExpressionValue.FromString(ValueConversion.ToDisplayString(value));
        }
    }
}
