namespace Shipgate.Core.Expressions.Nodes;

/// <summary>A call of a built-in function; <see cref="Index"/> is where its name starts.</summary>
internal abstract class FunctionNode(string name, ExpressionNode[] arguments, int index)
    : ExpressionNode(index, HeightOf(arguments))
{
    /// <summary>The name as written.</summary>
    public string Name { get; } = name;

    protected ExpressionNode[] Arguments { get; } = arguments;

    /// <summary>Fails the evaluation past the memory limit when <paramref name="builtChars"/> more characters would be built.</summary>
    protected static void CheckRoom(ref EvaluationState state, long builtChars, int index)
    {
        if (builtChars > state.RemainingChars)
        {
            throw state.MemoryExceeded(index);
        }
    }
}
