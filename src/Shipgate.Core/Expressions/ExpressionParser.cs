namespace Shipgate.Core.Expressions;

/// <summary>Parses GitHub Actions expressions (the text between <c>${{</c> and <c>}}</c>).</summary>
public static class ExpressionParser
{
    /// <summary>Parses one expression. Returns false with a positioned error for lexing and parsing errors.</summary>
    public static bool TryParse(string text, ExpressionParseOptions options, out ParsedExpression? expression, out ExpressionError? error)
    {
        throw new NotImplementedException();
    }

    /// <summary>
    /// Parses an <c>if:</c> condition: with or without <c>${{ }}</c>; wrapped in <c>success() &amp;&amp; (…)</c>
    /// unless it calls a status function. An empty condition means success().
    /// </summary>
    public static bool TryParseCondition(string text, ExpressionParseOptions options, out ParsedExpression? expression, out ExpressionError? error)
    {
        throw new NotImplementedException();
    }
}
