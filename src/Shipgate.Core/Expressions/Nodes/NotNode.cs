namespace Shipgate.Core.Expressions.Nodes;

/// <summary><c>!operand</c>: true when the operand is falsy.</summary>
internal sealed class NotNode(ExpressionNode operand, int index) : ExpressionNode(index, operand.Height + 1)
{
    public override ExpressionValue Evaluate(ref EvaluationState state)
        => ExpressionValue.FromBoolean(!operand.Evaluate(ref state).IsTruthy);
}
