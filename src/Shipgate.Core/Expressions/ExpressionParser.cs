using System.Diagnostics.CodeAnalysis;
using Shipgate.Core.Expressions.Nodes;
using Shipgate.Core.Expressions.Syntax;

namespace Shipgate.Core.Expressions;

/// <summary>Parses GitHub Actions expressions (the text between <c>${{</c> and <c>}}</c>).</summary>
public static class ExpressionParser
{
    /// <summary>Parses one expression. Returns false with a positioned error for lexing and parsing errors.</summary>
    public static bool TryParse(string text, ExpressionParseOptions options, [NotNullWhen(true)] out ParsedExpression? expression, [NotNullWhen(false)] out ExpressionError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        if (TryCompile(text, options, out var compiled, out error))
        {
            expression = compiled;
            return true;
        }

        expression = null;
        return false;
    }

    /// <summary>
    /// Parses an <c>if:</c> condition: with or without <c>${{ }}</c>; wrapped in <c>success() &amp;&amp; (…)</c>
    /// unless it calls a status function. An empty condition means success().
    /// </summary>
    /// <remarks>
    /// Surrounding whitespace is ignored. As on GitHub, a condition that is exactly one <c>${{ expr }}</c> is that
    /// expression, while text mixed with <c>${{ }}</c> (<c>${{ a }} &amp;&amp; b</c>) is a string, true whenever
    /// it is not empty. Error positions count within <paramref name="text"/>.
    /// </remarks>
    public static bool TryParseCondition(string text, ExpressionParseOptions options, [NotNullWhen(true)] out ParsedExpression? expression, [NotNullWhen(false)] out ExpressionError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        expression = null;
        var condition = text.Trim();
        var leading = condition.Length == 0 ? 0 : text.IndexOf(condition, StringComparison.Ordinal);

        string conditionText;
        ExpressionNode root;
        bool usesStatusFunction;
        if (condition.Length == 0)
        {
            (conditionText, root, usesStatusFunction) = (condition, new LiteralNode(ExpressionValue.True, 0), false);
        }
        else if (condition.Contains(ExpressionTemplate.Start, StringComparison.Ordinal))
        {
            if (!ExpressionTemplate.TryParse(condition, options, out var template, out error))
            {
                error = error with { Position = error.Position + leading };
                return false;
            }

            var parsed = (InterpolatedTemplate)template;
            if (parsed.SingleExpression is { } single)
            {
                (conditionText, root, usesStatusFunction) = (single.Text, single.Root, single.UsesStatusFunction);
            }
            else
            {
                (conditionText, root, usesStatusFunction) = (condition, new InterpolationNode(parsed), parsed.UsesStatusFunction);
            }
        }
        else
        {
            if (!TryCompile(condition, options, out var compiled, out error))
            {
                error = error with { Position = error.Position + leading };
                return false;
            }

            (conditionText, root, usesStatusFunction) = (compiled.Text, compiled.Root, compiled.UsesStatusFunction);
        }

        if (!usesStatusFunction)
        {
            root = new AndNode([BuiltinFunctions.Success(0), root], 0);
        }

        expression = new CompiledExpression(conditionText, root, usesStatusFunction);
        error = null;
        return true;
    }

    internal static bool TryCompile(string text, ExpressionParseOptions options, [NotNullWhen(true)] out CompiledExpression? expression, [NotNullWhen(false)] out ExpressionError? error)
    {
        try
        {
            var root = Parser.Parse(text, options, out var usesStatusFunction);
            expression = new CompiledExpression(text, root, usesStatusFunction);
            error = null;
            return true;
        }
        catch (ExpressionException ex)
        {
            expression = null;
            error = ex.Error;
            return false;
        }
    }
}
