using System.Text;

namespace Shipgate.Core.Expressions.Nodes;

/// <summary>
/// <c>join(array, separator = ',')</c>: the items of an array as strings (arrays and objects as 'Array' and
/// 'Object'), separated by the separator when it is a primitive (else ','); a primitive is its own string;
/// an object gives ''.
/// </summary>
internal sealed class JoinNode(string name, ExpressionNode[] arguments, int index) : FunctionNode(name, arguments, index)
{
    public override ExpressionValue Evaluate(ref EvaluationState state)
    {
        var items = Arguments[0].Evaluate(ref state);
        if (items.IsPrimitive)
        {
            return new StringValue(items.CoerceToString());
        }

        if (items is not ArrayValue array)
        {
            return new StringValue(string.Empty);
        }

        var separator = ",";
        if (Arguments.Length > 1)
        {
            var separatorValue = Arguments[1].Evaluate(ref state);
            if (separatorValue.IsPrimitive)
            {
                separator = separatorValue.CoerceToString();
            }
        }

        var result = new StringBuilder();
        for (var i = 0; i < array.Count; i++)
        {
            if (i > 0)
            {
                result.Append(separator);
            }

            result.Append(array.Items[i].CoerceToString());
            CheckRoom(ref state, result.Length, Index);
        }

        var text = result.ToString();
        state.ChargeString(text, Index);
        return new StringValue(text);
    }
}
