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
public abstract class ExpressionValue
{
    public static readonly ExpressionValue Null = new NullValue();
    public static readonly ExpressionValue True = new BooleanValue(true);
    public static readonly ExpressionValue False = new BooleanValue(false);

    public abstract ValueKind Kind { get; }

    public static ExpressionValue FromBoolean(bool value) => value ? True : False;

    public static ExpressionValue FromNumber(double value) => new NumberValue(value);

    public static ExpressionValue FromString(string? value) => value is null ? Null : new StringValue(value);

    private sealed class NullValue : ExpressionValue
    {
        public override ValueKind Kind => ValueKind.Null;
    }
}

public sealed class BooleanValue(bool value) : ExpressionValue
{
    public bool Value { get; } = value;

    public override ValueKind Kind => ValueKind.Boolean;
}

public sealed class NumberValue(double value) : ExpressionValue
{
    public double Value { get; } = value;

    public override ValueKind Kind => ValueKind.Number;
}

public sealed class StringValue(string value) : ExpressionValue
{
    public string Value { get; } = value;

    public override ValueKind Kind => ValueKind.String;
}

/// <summary>An array value.</summary>
public sealed class ArrayValue : ExpressionValue
{
    private readonly List<ExpressionValue> _items;

    public ArrayValue()
    {
        _items = [];
    }

    public ArrayValue(IEnumerable<ExpressionValue> items)
    {
        _items = [.. items];
    }

    public override ValueKind Kind => ValueKind.Array;

    public IReadOnlyList<ExpressionValue> Items => _items;

    public void Add(ExpressionValue value) => _items.Add(value);
}

/// <summary>An object value: keys compare ordinal ignore-case and keep insertion order.</summary>
public sealed class ObjectValue : ExpressionValue
{
    private readonly Dictionary<string, int> _index = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<KeyValuePair<string, ExpressionValue>> _pairs = [];

    public override ValueKind Kind => ValueKind.Object;

    public IReadOnlyList<KeyValuePair<string, ExpressionValue>> Pairs => _pairs;

    public int Count => _pairs.Count;

    /// <summary>Adds or replaces a key (the first spelling of the key is kept).</summary>
    public void Set(string key, ExpressionValue value)
    {
        if (_index.TryGetValue(key, out var at))
        {
            _pairs[at] = new KeyValuePair<string, ExpressionValue>(_pairs[at].Key, value);
        }
        else
        {
            _index[key] = _pairs.Count;
            _pairs.Add(new KeyValuePair<string, ExpressionValue>(key, value));
        }
    }

    public bool TryGetValue(string key, out ExpressionValue value)
    {
        if (_index.TryGetValue(key, out var at))
        {
            value = _pairs[at].Value;
            return true;
        }

        value = Null;
        return false;
    }

    public ExpressionValue this[string key] => TryGetValue(key, out var value) ? value : Null;
}
