using Shipgate.Core.Expressions.Nodes;

namespace Shipgate.Core.Expressions.Syntax;

/// <summary>A built-in function: its name, how many arguments it takes, and how to build its node.</summary>
internal sealed record FunctionSpec(string Name, int MinArguments, int MaxArguments, Func<string, ExpressionNode[], int, FunctionNode> Create)
{
    /// <summary>True for success(), always(), failure(), cancelled().</summary>
    public bool IsStatus { get; init; }
}
