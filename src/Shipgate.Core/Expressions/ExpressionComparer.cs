namespace Shipgate.Core.Expressions;

/// <summary>
/// The comparison operators of the language: JavaScript's abstract (loose) comparison, except that strings
/// compare ordinal ignore-case and arrays and objects are never converted (they equal only themselves).
/// Operands of different primitive kinds compare as numbers; NaN compares false with everything.
/// Nothing here allocates.
/// </summary>
internal static class ExpressionComparer
{
    public static bool AbstractEqual(ExpressionValue left, ExpressionValue right)
    {
        var kind = left.Kind;
        if (kind == right.Kind)
        {
            return kind switch
            {
                ValueKind.Null => true,
                ValueKind.Boolean => ((BooleanValue)left).Value == ((BooleanValue)right).Value,
                ValueKind.Number => ((NumberValue)left).Value == ((NumberValue)right).Value,
                ValueKind.String => string.Equals(((StringValue)left).Value, ((StringValue)right).Value, StringComparison.OrdinalIgnoreCase),
                _ => ReferenceEquals(left, right),
            };
        }

        // Different kinds: both primitive compare as numbers (NaN == anything is false).
        return left.IsPrimitive && right.IsPrimitive && left.CoerceToNumber() == right.CoerceToNumber();
    }

    public static bool AbstractGreaterThan(ExpressionValue left, ExpressionValue right)
    {
        var kind = left.Kind;
        if (kind == right.Kind)
        {
            return kind switch
            {
                ValueKind.Boolean => ((BooleanValue)left).Value && !((BooleanValue)right).Value,
                ValueKind.Number => ((NumberValue)left).Value > ((NumberValue)right).Value,
                ValueKind.String => string.Compare(((StringValue)left).Value, ((StringValue)right).Value, StringComparison.OrdinalIgnoreCase) > 0,
                _ => false,
            };
        }

        return left.IsPrimitive && right.IsPrimitive && left.CoerceToNumber() > right.CoerceToNumber();
    }

    public static bool AbstractLessThan(ExpressionValue left, ExpressionValue right)
    {
        var kind = left.Kind;
        if (kind == right.Kind)
        {
            return kind switch
            {
                ValueKind.Boolean => !((BooleanValue)left).Value && ((BooleanValue)right).Value,
                ValueKind.Number => ((NumberValue)left).Value < ((NumberValue)right).Value,
                ValueKind.String => string.Compare(((StringValue)left).Value, ((StringValue)right).Value, StringComparison.OrdinalIgnoreCase) < 0,
                _ => false,
            };
        }

        return left.IsPrimitive && right.IsPrimitive && left.CoerceToNumber() < right.CoerceToNumber();
    }
}
