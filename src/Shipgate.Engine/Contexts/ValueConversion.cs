using System.Globalization;
using Shipgate.Core.Expressions;
using Shipgate.Core.Workflows;

namespace Shipgate.Engine.Contexts;

/// <summary>Conversions between workflow scalars, expression values and strings.</summary>
internal static class ValueConversion
{
    /// <summary>A scalar typed as YAML 1.2's core schema reads a plain scalar; a quoted one is a string.</summary>
    public static ExpressionValue FromScalar(ScalarToken scalar)
    {
        if (!scalar.IsPlain)
        {
            return ExpressionValue.FromString(scalar.Value);
        }

        var text = scalar.Value;
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return ExpressionValue.Null;
            case "true" or "True" or "TRUE":
                return ExpressionValue.True;
            case "false" or "False" or "FALSE":
                return ExpressionValue.False;
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                return ExpressionValue.FromNumber(double.PositiveInfinity);
            case "-.inf" or "-.Inf" or "-.INF":
                return ExpressionValue.FromNumber(double.NegativeInfinity);
            case ".nan" or ".NaN" or ".NAN":
                return ExpressionValue.FromNumber(double.NaN);
        }

        if (text.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return ExpressionValue.FromNumber(hex);
        }

        if (text.StartsWith("0o", StringComparison.Ordinal) && text.Length > 2 && text.AsSpan(2).IndexOfAnyExcept("01234567") < 0)
        {
            return ExpressionValue.FromNumber(Convert.ToInt64(text[2..], 8));
        }

        if (LooksNumeric(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return ExpressionValue.FromNumber(number);
        }

        return ExpressionValue.FromString(text);
    }

    /// <summary>GitHub's string form of a value: null is empty, numbers without needless digits, arrays and objects as JSON.</summary>
    public static string ToDisplayString(ExpressionValue value) =>
        value.IsPrimitive ? value.CoerceToString() : ExpressionJson.ToJson(value, indented: true);

    public static ObjectValue FromStrings(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var result = new ObjectValue();
        foreach (var pair in pairs)
        {
            result.Set(pair.Key, ExpressionValue.FromString(pair.Value));
        }

        return result;
    }

    /// <summary>Deep equality of matrix values: same kind and value (strings ordinal).</summary>
    public static bool DeepEquals(ExpressionValue left, ExpressionValue right)
    {
        switch (left)
        {
            case ObjectValue lo when right is ObjectValue ro:
                return lo.Count == ro.Count && lo.Pairs.All(p => ro.TryGetValue(p.Key, out var other) && DeepEquals(p.Value, other));
            case ArrayValue la when right is ArrayValue ra:
                return la.Items.Count == ra.Items.Count && la.Items.Zip(ra.Items).All(p => DeepEquals(p.First, p.Second));
            case StringValue ls when right is StringValue rs:
                return string.Equals(ls.Value, rs.Value, StringComparison.Ordinal);
            case NumberValue ln when right is NumberValue rn:
                return ln.Value.Equals(rn.Value);
            case BooleanValue lb when right is BooleanValue rb:
                return lb.Value == rb.Value;
            default:
                return left.Kind == ValueKind.Null && right.Kind == ValueKind.Null;
        }
    }

    private static bool LooksNumeric(string text)
    {
        var span = text.AsSpan();
        if (span.Length > 0 && (span[0] == '-' || span[0] == '+'))
        {
            span = span[1..];
        }

        return span.Length > 0 && (char.IsAsciiDigit(span[0]) || (span[0] == '.' && span.Length > 1 && char.IsAsciiDigit(span[1])));
    }
}
