namespace Shipgate.Core.Expressions.Nodes;

/// <summary>
/// <c>contains(search, item)</c>: for a primitive search, whether its string contains the item's string
/// (ignoring case); for an array, whether an element loosely equals the item; otherwise false.
/// </summary>
internal sealed class ContainsNode(string name, ExpressionNode[] arguments, int index) : FunctionNode(name, arguments, index)
{
    public override ExpressionValue Evaluate(ref EvaluationState state)
    {
        var search = Arguments[0].Evaluate(ref state);
        var item = Arguments[1].Evaluate(ref state);
        if (search.IsPrimitive)
        {
            return ExpressionValue.FromBoolean(item.IsPrimitive
                && search.CoerceToString().Contains(item.CoerceToString(), StringComparison.OrdinalIgnoreCase));
        }

        if (search is ArrayValue array)
        {
            foreach (var element in array.Items)
            {
                if (ExpressionComparer.AbstractEqual(item, element))
                {
                    return ExpressionValue.True;
                }
            }
        }

        return ExpressionValue.False;
    }
}
