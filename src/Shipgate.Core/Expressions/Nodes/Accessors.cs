namespace Shipgate.Core.Expressions.Nodes;

/// <summary>
/// Property, index and filter access. An object is indexed by the key's string form (ignoring case), an array
/// by the key's number (floored; negative, NaN or out of range is null); anything else gives null. A filtered
/// array (the result of <c>.*</c> or <c>[*]</c>) applies the access to each item and keeps the hits.
/// </summary>
internal static class Accessors
{
    /// <summary>Applies a key: <paramref name="key"/> for objects (null when the key is not a primitive), <paramref name="arrayIndex"/> for arrays (-1 for none).</summary>
    public static ExpressionValue Access(ExpressionValue target, string? key, int arrayIndex, ref EvaluationState state, int index)
    {
        switch (target)
        {
            case ObjectValue obj:
                return key is not null && obj.TryGetValue(key, out var value) ? value : ExpressionValue.Null;

            case ArrayValue { IsFiltered: false } array:
                return (uint)arrayIndex < (uint)array.Count ? array.Items[arrayIndex] : ExpressionValue.Null;

            case ArrayValue filtered:
                var hits = new List<ExpressionValue>();
                foreach (var item in filtered.Items)
                {
                    if (item is ObjectValue itemObject)
                    {
                        if (key is not null && itemObject.TryGetValue(key, out var hit))
                        {
                            hits.Add(hit);
                        }
                    }
                    else if (item is ArrayValue itemArray && (uint)arrayIndex < (uint)itemArray.Count)
                    {
                        hits.Add(itemArray.Items[arrayIndex]);
                    }
                }

                state.Charge(8L * hits.Count, index);
                return new ArrayValue(hits, isFiltered: true);

            default:
                return ExpressionValue.Null;
        }
    }

    /// <summary><c>.*</c> and <c>[*]</c>: the values of an object, the items of an array, flattened one level for a filtered array.</summary>
    public static ExpressionValue Wildcard(ExpressionValue target, ref EvaluationState state, int index)
    {
        var items = new List<ExpressionValue>();
        switch (target)
        {
            case ArrayValue { IsFiltered: true } filtered:
                foreach (var item in filtered.Items)
                {
                    AddChildren(items, item);
                }

                break;

            default:
                AddChildren(items, target);
                break;
        }

        state.Charge(8L * items.Count, index);
        return new ArrayValue(items, isFiltered: true);
    }

    private static void AddChildren(List<ExpressionValue> items, ExpressionValue value)
    {
        if (value is ObjectValue obj)
        {
            foreach (var pair in obj.Pairs)
            {
                items.Add(pair.Value);
            }
        }
        else if (value is ArrayValue array)
        {
            items.AddRange(array.Items);
        }
    }
}
