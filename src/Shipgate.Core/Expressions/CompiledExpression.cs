using Shipgate.Core.Expressions.Nodes;

namespace Shipgate.Core.Expressions;

/// <summary>The parsed expression: a tree of immutable nodes with every literal prebuilt.</summary>
internal sealed class CompiledExpression(string text, ExpressionNode root, bool usesStatusFunction) : ParsedExpression
{
    public override string Text { get; } = text;

    public override bool UsesStatusFunction { get; } = usesStatusFunction;

    internal ExpressionNode Root { get; } = root;

    public override ExpressionValue Evaluate(EvaluationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var state = new EvaluationState(context, Text);
        return Root.Evaluate(ref state);
    }
}
