namespace Shipgate.Core.Expressions.Nodes;

/// <summary>Access with a computed key: <c>target[expression]</c>.</summary>
internal sealed class IndexNode(ExpressionNode target, ExpressionNode key, int index)
    : ExpressionNode(index, HeightOf(target, key))
{
    public override ExpressionValue Evaluate(ref EvaluationState state)
    {
        var value = target.Evaluate(ref state);
        var keyValue = key.Evaluate(ref state);
        var arrayIndex = value is ArrayValue ? ExpressionNumbers.ToIndex(keyValue.CoerceToNumber()) : -1;
        var keyString = value is ObjectValue or ArrayValue { IsFiltered: true } && keyValue.IsPrimitive ? keyValue.CoerceToString() : null;
        return Accessors.Access(value, keyString, arrayIndex, ref state, Index);
    }
}
