namespace Shipgate.Core.Expressions.Nodes;

/// <summary>A condition written as text mixed with <c>${{ }}</c>: its value is the interpolated string.</summary>
internal sealed class InterpolationNode(ExpressionTemplate template) : ExpressionNode(0, 1)
{
    public override ExpressionValue Evaluate(ref EvaluationState state)
    {
        var text = template.EvaluateString(state.Context);
        state.ChargeString(text, Index);
        return new StringValue(text);
    }
}
