namespace Shipgate.Core.Expressions.Nodes;

/// <summary><c>startsWith(search, prefix)</c>: on the strings of two primitives, ignoring case; otherwise false.</summary>
internal sealed class StartsWithNode(string name, ExpressionNode[] arguments, int index) : FunctionNode(name, arguments, index)
{
    public override ExpressionValue Evaluate(ref EvaluationState state)
    {
        var search = Arguments[0].Evaluate(ref state);
        var prefix = Arguments[1].Evaluate(ref state);
        return ExpressionValue.FromBoolean(search.IsPrimitive && prefix.IsPrimitive
            && search.CoerceToString().StartsWith(prefix.CoerceToString(), StringComparison.OrdinalIgnoreCase));
    }
}
