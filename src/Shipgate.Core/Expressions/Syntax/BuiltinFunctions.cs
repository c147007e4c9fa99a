using System.Collections.Frozen;
using Shipgate.Core.Expressions.Nodes;

namespace Shipgate.Core.Expressions.Syntax;

/// <summary>The functions of the language, looked up ignoring case.</summary>
internal static class BuiltinFunctions
{
    /// <summary>Most arguments format() and hashFiles() take (GitHub's limit).</summary>
    public const int MaxVariadic = 255;

    public static readonly FunctionSpec HashFiles = new("hashFiles", 1, MaxVariadic, (n, a, i) => new HashFilesNode(n, a, i));

    private static readonly FrozenDictionary<string, FunctionSpec> Functions = new FunctionSpec[]
    {
        new("contains", 2, 2, (n, a, i) => new ContainsNode(n, a, i)),
        new("startsWith", 2, 2, (n, a, i) => new StartsWithNode(n, a, i)),
        new("endsWith", 2, 2, (n, a, i) => new EndsWithNode(n, a, i)),
        new("format", 1, MaxVariadic, (n, a, i) => new FormatNode(n, a, i)),
        new("join", 1, 2, (n, a, i) => new JoinNode(n, a, i)),
        new("toJSON", 1, 1, (n, a, i) => new ToJsonNode(n, a, i)),
        new("fromJSON", 1, 1, (n, a, i) => new FromJsonNode(n, a, i)),
        new("case", 3, int.MaxValue, (n, a, i) => new CaseNode(n, a, i)),
        HashFiles,
        Status("success", StatusFunction.Success),
        Status("always", StatusFunction.Always),
        Status("failure", StatusFunction.Failure),
        Status("cancelled", StatusFunction.Cancelled),
    }.ToFrozenDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The function called <paramref name="name"/> when <paramref name="options"/> allow it where the expression is.</summary>
    public static FunctionSpec? Find(string name, ExpressionParseOptions options)
    {
        if (!Functions.TryGetValue(name, out var spec))
        {
            return null;
        }

        if ((spec.IsStatus && !options.AllowStatusFunctions) || (spec == HashFiles && !options.AllowHashFiles))
        {
            return null;
        }

        return spec;
    }

    /// <summary>The success() function, for the implicit <c>success() &amp;&amp;</c> of conditions.</summary>
    public static FunctionNode Success(int index) => new StatusNode("success", StatusFunction.Success, index);

    private static FunctionSpec Status(string name, StatusFunction function)
        => new(name, 0, 0, (n, _, i) => new StatusNode(n, function, i)) { IsStatus = true };
}
