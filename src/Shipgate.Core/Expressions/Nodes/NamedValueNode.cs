namespace Shipgate.Core.Expressions.Nodes;

/// <summary>A named value (context) such as <c>github</c>; one that the context does not hold is null.</summary>
internal sealed class NamedValueNode(string name, int index) : ExpressionNode(index, 1)
{
    public string Name { get; } = name;

    public override ExpressionValue Evaluate(ref EvaluationState state) => state.Context.GetNamedValue(Name);
}
