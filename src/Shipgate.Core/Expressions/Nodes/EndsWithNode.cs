namespace Shipgate.Core.Expressions.Nodes;

/// <summary><c>endsWith(search, suffix)</c>: on the strings of two primitives, ignoring case; otherwise false.</summary>
internal sealed class EndsWithNode(string name, ExpressionNode[] arguments, int index) : FunctionNode(name, arguments, index)
{
    public override ExpressionValue Evaluate(ref EvaluationState state)
    {
        var search = Arguments[0].Evaluate(ref state);
        var suffix = Arguments[1].Evaluate(ref state);
        return ExpressionValue.FromBoolean(search.IsPrimitive && suffix.IsPrimitive
            && search.CoerceToString().EndsWith(suffix.CoerceToString(), StringComparison.OrdinalIgnoreCase));
    }
}
