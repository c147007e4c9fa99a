using Shipgate.Core.Expressions;

namespace Shipgate.Core.Tests.Expressions;

public sealed class ExpressionParserTests
{
    [Fact]
    public void TryParse_UnknownFunction_IsParsingErrorAtItsName()
    {
        var error = Eval.ParseError("1 == nosuch(1)");

        Assert.Equal(ExpressionErrorKind.Parsing, error.Kind);
        Assert.Equal("Unrecognized function: 'nosuch'. Located at position 6 within expression: 1 == nosuch(1)", error.Message);
        Assert.Equal(6, error.Position);
    }

    [Theory]
    [InlineData("TOJSON(1)")]
    [InlineData("StartsWith('abc', 'A')")]
    [InlineData("fromjson('1')")]
    [InlineData("CASE(true, 1, 2)")]
    public void TryParse_FunctionNameInAnyCase_Parses(string expression)
        => Eval.Parse(expression);

    [Theory]
    [InlineData("success()")]
    [InlineData("always()")]
    [InlineData("failure()")]
    [InlineData("cancelled()")]
    public void TryParse_StatusFunctionOutsideConditions_IsUnrecognized(string expression)
    {
        var options = new ExpressionParseOptions { AllowedContexts = [], AllowStatusFunctions = false };

        var error = Eval.ParseError(expression, options);

        Assert.StartsWith($"Unrecognized function: '{expression[..^2]}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_HashFilesWhereNotAllowed_IsUnrecognized()
    {
        var options = new ExpressionParseOptions { AllowedContexts = [], AllowHashFiles = false };

        Assert.StartsWith("Unrecognized function: 'hashFiles'", Eval.ParseError("hashFiles('**/*.cs')", options).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_NamedValueInAnyCase_IsAllowed()
    {
        var options = new ExpressionParseOptions { AllowedContexts = ["github"] };

        Assert.True(ExpressionParser.TryParse("GitHub.REF", options, out _, out var error), error?.Message);
    }

    [Theory]
    [InlineData("'abc", ExpressionErrorKind.Lexing, "Unexpected symbol: ''abc'. Located at position 1")]
    [InlineData("1 = 2", ExpressionErrorKind.Lexing, "Unexpected symbol: '='. Located at position 3")]
    [InlineData("true & false", ExpressionErrorKind.Lexing, "Unexpected symbol: '&'. Located at position 6")]
    [InlineData("1 ==", ExpressionErrorKind.Parsing, "Unexpected end of expression: '=='. Located at position 3")]
    [InlineData("(1", ExpressionErrorKind.Parsing, "Unexpected end of expression: '1'. Located at position 2")]
    [InlineData("format('a',)", ExpressionErrorKind.Parsing, "Unexpected symbol: ')'. Located at position 12")]
    [InlineData("'abc'[0]", ExpressionErrorKind.Parsing, "Unexpected symbol: '['. Located at position 6")]
    [InlineData("1 2", ExpressionErrorKind.Parsing, "Unexpected symbol: '2'. Located at position 3")]
    [InlineData("case(true, 1, false, 2)", ExpressionErrorKind.Parsing, "Even number of parameters supplied, requires an odd number of parameters: 'case'")]
    [InlineData("case(true)", ExpressionErrorKind.Parsing, "Too few parameters supplied: 'case'")]
    [InlineData("success(1)", ExpressionErrorKind.Parsing, "Too many parameters supplied: 'success'")]
    [InlineData("toJSON()", ExpressionErrorKind.Parsing, "Too few parameters supplied: 'toJSON'")]
    public void TryParse_BadExpression_ReportsKindMessageAndPosition(string expression, ExpressionErrorKind kind, string message)
    {
        var error = Eval.ParseError(expression);

        Assert.Equal(kind, error.Kind);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.EndsWith($" within expression: {expression}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_PositionOnSecondLine_CountsFromTheStart()
    {
        var error = Eval.ParseError("true &&\n  nosuch");

        Assert.Equal("Unrecognized named-value: 'nosuch'. Located at position 11 within expression: true &&\n  nosuch", error.Message);
    }

    [Fact]
    public void TryParse_NestedBeyondMaxDepth_IsParsingError()
    {
        var options = new ExpressionParseOptions { AllowedContexts = ["a"], MaxDepth = 3 };

        Assert.True(ExpressionParser.TryParse("a.b", options, out _, out _));
        var error = Eval.ParseError("a.b.c.d", options);

        Assert.StartsWith("Exceeded max expression depth 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_ThousandsOfParentheses_FailsWithoutOverflowingTheStack()
    {
        var text = new string('(', 20_000) + "1" + new string(')', 20_000);
        var options = new ExpressionParseOptions { AllowedContexts = [], MaxLength = 50_000 };

        var error = Eval.ParseError(text, options);

        Assert.StartsWith("Exceeded max expression depth 50", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_LongComparisonChain_IsBoundedByDepth()
    {
        var text = string.Join(" == ", Enumerable.Repeat("1", 3_000));

        Assert.StartsWith("Exceeded max expression depth 50", Eval.ParseError(text).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_LongerThanMaxLength_IsParsingError()
    {
        var text = "'" + new string('a', 21_000) + "'";

        var error = Eval.ParseError(text);

        Assert.Equal(ExpressionErrorKind.Parsing, error.Kind);
        Assert.Equal("Exceeded max expression length 21000", error.Message);
    }

    [Theory]
    [InlineData("success()", true)]
    [InlineData("true && (always() || false)", true)]
    [InlineData("FAILURE()", true)]
    [InlineData("github.ref == 'x'", false)]
    [InlineData("format('success()')", false)]
    public void TryParse_StatusFunctionCalls_AreReported(string expression, bool expected)
    {
        var options = new ExpressionParseOptions { AllowedContexts = ["github"], AllowStatusFunctions = true };

        Assert.True(ExpressionParser.TryParse(expression, options, out var parsed, out _));

        Assert.Equal(expected, parsed.UsesStatusFunction);
        Assert.Equal(expression, parsed.Text);
    }

    [Fact]
    public void TryParse_StringWithEscapedQuotes_KeepsEveryQuote()
    {
        var value = Eval.Value("'it''s ''quoted'''");

        Assert.Equal("it's 'quoted'", Assert.IsType<StringValue>(value).Value);
    }
}
