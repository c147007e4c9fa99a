namespace Shipgate.Core.Expressions.Nodes;

/// <summary><c>== != &lt; &lt;= &gt; &gt;=</c>, with the language's loose comparison (<see cref="ExpressionComparer"/>).</summary>
internal sealed class ComparisonNode(ComparisonOperator op, ExpressionNode left, ExpressionNode right, int index)
    : ExpressionNode(index, HeightOf(left, right))
{
    public override ExpressionValue Evaluate(ref EvaluationState state)
    {
        var l = left.Evaluate(ref state);
        var r = right.Evaluate(ref state);
        var result = op switch
        {
            ComparisonOperator.Equal => ExpressionComparer.AbstractEqual(l, r),
            ComparisonOperator.NotEqual => !ExpressionComparer.AbstractEqual(l, r),
            ComparisonOperator.Greater => ExpressionComparer.AbstractGreaterThan(l, r),
            ComparisonOperator.GreaterOrEqual => ExpressionComparer.AbstractEqual(l, r) || ExpressionComparer.AbstractGreaterThan(l, r),
            ComparisonOperator.Less => ExpressionComparer.AbstractLessThan(l, r),
            _ => ExpressionComparer.AbstractEqual(l, r) || ExpressionComparer.AbstractLessThan(l, r),
        };
        return ExpressionValue.FromBoolean(result);
    }
}
