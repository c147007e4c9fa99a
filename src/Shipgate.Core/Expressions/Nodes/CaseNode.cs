namespace Shipgate.Core.Expressions.Nodes;

/// <summary>
/// <c>case(pred1, val1, pred2, val2, ..., default)</c>: the value after the first predicate that is true, else
/// the default. Each predicate must be a boolean. Evaluated lazily, as GitHub's runner does: only the predicates
/// up to the first true one, and only the value chosen.
/// </summary>
internal sealed class CaseNode(string name, ExpressionNode[] arguments, int index) : FunctionNode(name, arguments, index)
{
    public override ExpressionValue Evaluate(ref EvaluationState state)
    {
        for (var i = 0; i + 1 < Arguments.Length; i += 2)
        {
            var predicate = Arguments[i].Evaluate(ref state);
            if (predicate is not BooleanValue boolean)
            {
                throw state.Fail("case predicate must evaluate to a boolean value", Arguments[i].Index);
            }

            if (boolean.Value)
            {
                return Arguments[i + 1].Evaluate(ref state);
            }
        }

        return Arguments[^1].Evaluate(ref state);
    }
}
