using Shipgate.Core.Expressions;

namespace Shipgate.Core.Tests.Expressions;

public sealed class ExpressionTemplateTests
{
    private static readonly Dictionary<string, ExpressionValue> Contexts =
        Eval.Contexts("""{"github": {"sha": "abc123", "event": {"labels": [{"name": "bug"}]}}, "matrix": {"os": "linux", "n": 2.50}}""");

    private static ExpressionTemplate Parse(string text)
    {
        Assert.True(ExpressionTemplate.TryParse(text, Eval.Options(Contexts), out var template, out var error), error?.Message);
        return template;
    }

    private static ExpressionError ParseError(string text)
    {
        Assert.False(ExpressionTemplate.TryParse(text, Eval.Options(Contexts), out _, out var error));
        return error;
    }

    private static readonly EvaluationContext Context = new() { Contexts = Contexts };

    [Fact]
    public void TryParse_TextWithoutExpression_IsLiteral()
    {
        var template = Parse("echo hello }} {{ $ {");

        Assert.True(template.IsLiteral);
        Assert.Empty(template.Expressions);
        Assert.Equal("echo hello }} {{ $ {", template.EvaluateString(Context));
        Assert.Equal("echo hello }} {{ $ {", Assert.IsType<StringValue>(template.EvaluateValue(Context)).Value);
    }

    [Fact]
    public void EvaluateValue_OneExpression_KeepsItsKind()
    {
        var template = Parse("${{ github.event.labels }}");

        Assert.False(template.IsLiteral);
        Assert.IsType<ArrayValue>(template.EvaluateValue(Context));
        Assert.Equal(2.5, Assert.IsType<NumberValue>(Parse("${{matrix.n}}").EvaluateValue(Context)).Value);
        Assert.Equal("2.5", Parse("${{matrix.n}}").EvaluateString(Context));
    }

    [Fact]
    public void EvaluateString_MixedText_ConvertsValuesAsGitHub()
    {
        var template = Parse("sha=${{ github.sha }} os=${{ matrix.os }} n=${{ matrix.n }} none=${{ null }}. ${{ true }} ${{ 1.0 }} ${{ github.event.labels }} ${{ github.event }}");

        Assert.Equal("sha=abc123 os=linux n=2.5 none=. true 1 Array Object", template.EvaluateString(Context));
        Assert.IsType<StringValue>(template.EvaluateValue(Context));
        Assert.Equal(8, template.Expressions.Count);
    }

    [Fact]
    public void EvaluateString_SpaceAroundOneExpression_IsText()
    {
        Assert.IsType<StringValue>(Parse(" ${{ matrix.n }}").EvaluateValue(Context));
    }

    [Fact]
    public void TryParse_ClosingBracesInsideAString_DoNotEndTheExpression()
    {
        var template = Parse("a${{ '}}' }}b${{ format('{{0}}}}') }}c");

        Assert.Equal("a}}b{0}}c", template.EvaluateString(Context));
    }

    [Fact]
    public void TryParse_DollarBracesInsideAString_AreText()
    {
        Assert.Equal("x ${{ y", Parse("${{ 'x ${{ y' }}").EvaluateString(Context));
    }

    [Fact]
    public void TryParse_Unclosed_IsPositionedAtTheOpening()
    {
        var error = ParseError("echo ${{ github.sha");

        Assert.Equal(ExpressionErrorKind.Parsing, error.Kind);
        Assert.Contains("The expression is not closed", error.Message, StringComparison.Ordinal);
        Assert.Equal(6, error.Position);
    }

    [Fact]
    public void TryParse_EmptyExpression_IsAnError()
    {
        var error = ParseError("echo ${{  }}");

        Assert.StartsWith("An expression was expected", error.Message, StringComparison.Ordinal);
        Assert.Equal(6, error.Position);
    }

    [Fact]
    public void TryParse_BadExpression_MessageCountsWithinItAndPositionWithinTheTemplate()
    {
        var error = ParseError("line one\necho ${{ github.sha == nosuch }}");

        Assert.Equal("Unrecognized named-value: 'nosuch'. Located at position 15 within expression: github.sha == nosuch", error.Message);
        Assert.Equal(33, error.Position);
        Assert.Equal('n', "line one\necho ${{ github.sha == nosuch }}"[error.Position - 1]);
    }

    [Fact]
    public void EvaluateString_EvaluationError_Throws()
    {
        var template = Parse("x ${{ fromJSON('{') }}");

        var ex = Assert.Throws<ExpressionException>(() => template.EvaluateString(Context));

        Assert.Equal(ExpressionErrorKind.Evaluation, ex.Error.Kind);
        Assert.Contains("within expression: fromJSON('{')", ex.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EvaluateString_BeyondMaxResultBytes_IsAnEvaluationError()
    {
        var big = new string('x', 3000);
        var contexts = new Dictionary<string, ExpressionValue>(StringComparer.OrdinalIgnoreCase) { ["big"] = new StringValue(big) };
        Assert.True(ExpressionTemplate.TryParse("${{ big }}${{ big }}", Eval.Options(contexts), out var template, out _));

        var ex = Assert.Throws<ExpressionException>(() => template.EvaluateString(new EvaluationContext { Contexts = contexts, MaxResultBytes = 10_000 }));

        Assert.Contains("maximum allowed memory size", ex.Error.Message, StringComparison.Ordinal);
        Assert.Equal(6000, template.EvaluateString(new EvaluationContext { Contexts = contexts }).Length);
    }
}
