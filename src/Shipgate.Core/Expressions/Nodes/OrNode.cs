namespace Shipgate.Core.Expressions.Nodes;

/// <summary><c>a || b || ...</c>: the first truthy operand, else the last (the operand itself, not a boolean).</summary>
internal sealed class OrNode(ExpressionNode[] operands, int index) : ExpressionNode(index, HeightOf(operands))
{
    public override ExpressionValue Evaluate(ref EvaluationState state)
    {
        var value = ExpressionValue.Null;
        foreach (var operand in operands)
        {
            value = operand.Evaluate(ref state);
            if (value.IsTruthy)
            {
                break;
            }
        }

        return value;
    }
}
