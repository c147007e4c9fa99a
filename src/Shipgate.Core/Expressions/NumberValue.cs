namespace Shipgate.Core.Expressions;

/// <summary>A number: every number of the language is a double.</summary>
public sealed class NumberValue(double value) : ExpressionValue
{
    public double Value { get; } = value;

    public override ValueKind Kind => ValueKind.Number;

    public override bool IsTruthy => Value != 0 && !double.IsNaN(Value);

    public override string CoerceToString() => ExpressionNumbers.Format(Value);

    public override double CoerceToNumber() => Value;
}
