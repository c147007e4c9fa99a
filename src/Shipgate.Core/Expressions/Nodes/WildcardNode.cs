namespace Shipgate.Core.Expressions.Nodes;

/// <summary>The object filter <c>.*</c> or <c>[*]</c>.</summary>
internal sealed class WildcardNode(ExpressionNode target, int index) : ExpressionNode(index, target.Height + 1)
{
    public override ExpressionValue Evaluate(ref EvaluationState state)
        => Accessors.Wildcard(target.Evaluate(ref state), ref state, Index);
}
