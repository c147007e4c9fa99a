namespace Shipgate.Core.Expressions;

/// <summary>A boolean value; use <see cref="ExpressionValue.True"/> and <see cref="ExpressionValue.False"/> rather than new instances.</summary>
public sealed class BooleanValue(bool value) : ExpressionValue
{
    public bool Value { get; } = value;

    public override ValueKind Kind => ValueKind.Boolean;

    public override bool IsTruthy => Value;

    public override string CoerceToString() => Value ? "true" : "false";

    public override double CoerceToNumber() => Value ? 1 : 0;
}
