namespace Shipgate.Core.Expressions;

/// <summary>The kinds of value of the GitHub Actions expression language.</summary>
public enum ValueKind
{
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object,
}

/// <summary>
/// A value of the expression language. Immutable once built; Null, True and False are shared
/// instances so that evaluating a typical condition does not allocate.
/// </summary>
/// <remarks>
/// The coercions follow GitHub's runner: <see cref="IsTruthy"/> (null, false, 0, NaN and '' are falsy),
/// <see cref="CoerceToString"/> (null is '', numbers with up to 15 significant digits, arrays and objects
/// are 'Array' and 'Object') and <see cref="CoerceToNumber"/> (JavaScript's Number(): '' is 0, ' 0x1F ' is 31,
/// anything else that is not a number is NaN).
/// </remarks>
public abstract class ExpressionValue
{
    public static readonly ExpressionValue Null = new NullValue();
    public static readonly ExpressionValue True = new BooleanValue(true);
    public static readonly ExpressionValue False = new BooleanValue(false);

    private protected ExpressionValue()
    {
    }

    public abstract ValueKind Kind { get; }

    /// <summary>True for null, booleans, numbers and strings.</summary>
    public bool IsPrimitive => Kind <= ValueKind.String;

    /// <summary>The value in a condition: false for null, false, 0, -0, NaN and the empty string; true otherwise.</summary>
    public abstract bool IsTruthy { get; }

    public static ExpressionValue FromBoolean(bool value) => value ? True : False;

    public static ExpressionValue FromNumber(double value) => new NumberValue(value);

    public static ExpressionValue FromString(string? value) => value is null ? Null : new StringValue(value);

    /// <summary>The value as the language converts it to a string (format(), join(), <c>${{ }}</c> in text).</summary>
    public abstract string CoerceToString();

    /// <summary>The value as the language converts it to a number (comparisons, indexes).</summary>
    public abstract double CoerceToNumber();

    /// <summary>The value for debugging: its JSON text.</summary>
    public override string ToString() => ExpressionJson.ToJson(this, indented: false);

    private sealed class NullValue : ExpressionValue
    {
        public override ValueKind Kind => ValueKind.Null;

        public override bool IsTruthy => false;

        public override string CoerceToString() => string.Empty;

        public override double CoerceToNumber() => 0;
    }
}
