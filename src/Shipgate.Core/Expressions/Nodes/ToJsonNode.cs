using System.Text;

namespace Shipgate.Core.Expressions.Nodes;

/// <summary><c>toJSON(value)</c>: the value as indented JSON (<see cref="ExpressionJson.ToJson"/>).</summary>
internal sealed class ToJsonNode(string name, ExpressionNode[] arguments, int index) : FunctionNode(name, arguments, index)
{
    public override ExpressionValue Evaluate(ref EvaluationState state)
    {
        var value = Arguments[0].Evaluate(ref state);
        var result = new StringBuilder();
        if (!ExpressionJson.TryAppend(result, value, indented: true, state.RemainingChars))
        {
            throw state.MemoryExceeded(Index);
        }

        var text = result.ToString();
        state.ChargeString(text, Index);
        return new StringValue(text);
    }
}
