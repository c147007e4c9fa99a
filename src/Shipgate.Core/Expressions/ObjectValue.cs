namespace Shipgate.Core.Expressions;

/// <summary>An object value: keys compare ordinal ignore-case and keep insertion order.</summary>
public sealed class ObjectValue : ExpressionValue
{
    private readonly Dictionary<string, int> _index = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<KeyValuePair<string, ExpressionValue>> _pairs = [];

    public override ValueKind Kind => ValueKind.Object;

    public IReadOnlyList<KeyValuePair<string, ExpressionValue>> Pairs => _pairs;

    public int Count => _pairs.Count;

    public override bool IsTruthy => true;

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

    public override string CoerceToString() => "Object";

    public override double CoerceToNumber() => double.NaN;
}
