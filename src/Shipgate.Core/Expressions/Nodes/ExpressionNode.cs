namespace Shipgate.Core.Expressions.Nodes;

/// <summary>
/// A node of a parsed expression. Nodes are immutable and shared by concurrent evaluations; all per-evaluation
/// state travels in <see cref="EvaluationState"/>, passed by reference, so that evaluation does not allocate.
/// </summary>
internal abstract class ExpressionNode(int index, int height)
{
    /// <summary>0-based index in the expression text of the token the node starts at (for error messages).</summary>
    public int Index { get; } = index;

    /// <summary>The height of the tree under this node (1 for a leaf); bounded by <see cref="ExpressionParseOptions.MaxDepth"/>.</summary>
    public int Height { get; } = height;

    public abstract ExpressionValue Evaluate(ref EvaluationState state);

    protected static int HeightOf(ExpressionNode first, ExpressionNode second) => 1 + Math.Max(first.Height, second.Height);

    protected static int HeightOf(ExpressionNode[] nodes)
    {
        var height = 0;
        foreach (var node in nodes)
        {
            height = Math.Max(height, node.Height);
        }

        return height + 1;
    }
}
