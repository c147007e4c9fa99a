namespace Shipgate.Core.Expressions.Nodes;

/// <summary>
/// Access with a key known when parsing: <c>.name</c>, <c>['name']</c>, <c>[0]</c>. The key's string and array
/// index are computed once, so that the access does not allocate.
/// </summary>
internal sealed class MemberNode(ExpressionNode target, string key, int arrayIndex, int index)
    : ExpressionNode(index, target.Height + 1)
{
    public override ExpressionValue Evaluate(ref EvaluationState state)
    {
        var value = target.Evaluate(ref state);
        if (value is ObjectValue obj)
        {
            return obj.TryGetValue(key, out var member) ? member : ExpressionValue.Null;
        }

        return Accessors.Access(value, key, arrayIndex, ref state, Index);
    }
}
