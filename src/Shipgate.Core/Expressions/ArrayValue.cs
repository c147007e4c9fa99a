namespace Shipgate.Core.Expressions;

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

    /// <summary>Takes ownership of <paramref name="items"/>; a filtered array is the result of <c>.*</c> or <c>[*]</c>.</summary>
    internal ArrayValue(List<ExpressionValue> items, bool isFiltered)
    {
        _items = items;
        IsFiltered = isFiltered;
    }

    public override ValueKind Kind => ValueKind.Array;

    public IReadOnlyList<ExpressionValue> Items => _items;

    public int Count => _items.Count;

    public override bool IsTruthy => true;

    /// <summary>
    /// True for the result of an object filter (<c>.*</c>, <c>[*]</c>): a property or index applied to it
    /// applies to each of its items (<c>labels.*.name</c>).
    /// </summary>
    internal bool IsFiltered { get; }

    public void Add(ExpressionValue value) => _items.Add(value);

    public override string CoerceToString() => "Array";

    public override double CoerceToNumber() => double.NaN;
}
