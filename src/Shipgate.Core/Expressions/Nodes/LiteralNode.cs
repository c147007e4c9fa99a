namespace Shipgate.Core.Expressions.Nodes;

/// <summary>A literal; its value is built once when the expression is parsed.</summary>
internal sealed class LiteralNode(ExpressionValue value, int index) : ExpressionNode(index, 1)
{
    public ExpressionValue Value { get; } = value;

    public override ExpressionValue Evaluate(ref EvaluationState state) => Value;
}
