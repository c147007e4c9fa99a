namespace Shipgate.Core.Expressions;

/// <summary>A string value.</summary>
public sealed class StringValue(string value) : ExpressionValue
{
    public string Value { get; } = value;

    public override ValueKind Kind => ValueKind.String;

    public override bool IsTruthy => Value.Length > 0;

    public override string CoerceToString() => Value;

    public override double CoerceToNumber() => ExpressionNumbers.Parse(Value);
}
