using Shipgate.Core.Expressions;

namespace Shipgate.Core.Tests.Expressions;

public sealed class ExpressionConditionTests
{
    private static readonly Dictionary<string, ExpressionValue> Contexts = Eval.Contexts("""{"github": {"ref": "refs/heads/main"}}""");

    private static bool Evaluate(string condition, JobStatus status = JobStatus.Success)
    {
        Assert.True(ExpressionParser.TryParseCondition(condition, Eval.Options(Contexts), out var parsed, out var error), error?.Message);
        return parsed.Evaluate(new EvaluationContext { Contexts = Contexts, Status = status }).IsTruthy;
    }

    [Theory]
    [InlineData("", JobStatus.Success, true)]
    [InlineData("   ", JobStatus.Success, true)]
    [InlineData("", JobStatus.Failure, false)]
    [InlineData("", JobStatus.Cancelled, false)]
    public void TryParseCondition_Empty_MeansSuccess(string condition, JobStatus status, bool expected)
        => Assert.Equal(expected, Evaluate(condition, status));

    [Theory]
    [InlineData("github.ref == 'refs/heads/main'", JobStatus.Success, true)]
    [InlineData("github.ref == 'refs/heads/main'", JobStatus.Failure, false)]
    [InlineData("github.ref == 'refs/heads/other'", JobStatus.Success, false)]
    [InlineData("${{ github.ref == 'refs/heads/main' }}", JobStatus.Success, true)]
    [InlineData("${{ github.ref == 'refs/heads/main' }}", JobStatus.Failure, false)]
    [InlineData("  ${{ github.ref == 'REFS/HEADS/MAIN' }}  ", JobStatus.Success, true)]
    public void TryParseCondition_WithoutStatusFunction_AddsImplicitSuccess(string condition, JobStatus status, bool expected)
        => Assert.Equal(expected, Evaluate(condition, status));

    [Theory]
    [InlineData("failure()", JobStatus.Failure, true)]
    [InlineData("failure()", JobStatus.Success, false)]
    [InlineData("always()", JobStatus.Cancelled, true)]
    [InlineData("cancelled()", JobStatus.Cancelled, true)]
    [InlineData("cancelled()", JobStatus.Failure, false)]
    [InlineData("${{ always() && github.ref == 'refs/heads/main' }}", JobStatus.Failure, true)]
    [InlineData("!cancelled()", JobStatus.Failure, true)]
    [InlineData("success() || failure()", JobStatus.Cancelled, false)]
    public void TryParseCondition_WithStatusFunction_UsesItAlone(string condition, JobStatus status, bool expected)
        => Assert.Equal(expected, Evaluate(condition, status));

    [Fact]
    public void TryParseCondition_TextMixedWithExpression_IsANonEmptyStringAndSoTrue()
    {
        // GitHub's well-known pitfall: "${{ false }} && true" is the string "false && true".
        Assert.True(Evaluate("${{ false }} && true"));
        Assert.False(Evaluate("${{ false }} && true", JobStatus.Failure));
    }

    [Fact]
    public void TryParseCondition_Expression_ReportsUserStatusCallsAndText()
    {
        Assert.True(ExpressionParser.TryParseCondition("${{ github.ref == 'x' }}", Eval.Options(Contexts), out var plain, out _));
        Assert.True(ExpressionParser.TryParseCondition("failure()", Eval.Options(Contexts), out var status, out _));

        Assert.False(plain.UsesStatusFunction);
        Assert.Equal("github.ref == 'x'", plain.Text);
        Assert.True(status.UsesStatusFunction);
    }

    [Fact]
    public void TryParseCondition_ReturnsTheDecidingOperand()
    {
        Assert.True(ExpressionParser.TryParseCondition("github.ref", Eval.Options(Contexts), out var parsed, out _));

        var value = parsed.Evaluate(new EvaluationContext { Contexts = Contexts });

        Assert.Equal("refs/heads/main", Assert.IsType<StringValue>(value).Value);
    }

    [Fact]
    public void TryParseCondition_Error_IsPositionedWithinTheText()
    {
        Assert.False(ExpressionParser.TryParseCondition("  ${{ github.ref == nosuch }}", Eval.Options(Contexts), out _, out var error));

        Assert.Equal("Unrecognized named-value: 'nosuch'. Located at position 15 within expression: github.ref == nosuch", error.Message);
        Assert.Equal(21, error.Position);
    }

    [Fact]
    public void TryParseCondition_ErrorWithoutBraces_IsPositionedWithinTheText()
    {
        Assert.False(ExpressionParser.TryParseCondition(" github.ref ==", Eval.Options(Contexts), out _, out var error));

        Assert.StartsWith("Unexpected end of expression: '=='. Located at position 12", error.Message, StringComparison.Ordinal);
        Assert.Equal(13, error.Position);
    }
}
