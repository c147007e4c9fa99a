using Shipgate.Core.Diagnostics;
using Shipgate.Core.Workflows;
using Shipgate.Core.Yaml;

namespace Shipgate.Core.Tests.Workflows;

public sealed class ScalarTokenTests
{
    private static ScalarToken Plain(string value) => new(value, IsPlain: true, new SourceLocation("w.yml", 1, 1));

    private static ScalarToken LoadValue(string yaml) => (ScalarToken)((MappingToken)YamlLoader.LoadText(yaml, "w.yml").Root!)["v"]!;

    [Fact]
    public void HasExpression_TextWithInterpolation_IsTrue()
    {
        var token = new ScalarToken("echo ${{ github.sha }}", IsPlain: true, new SourceLocation("w.yml", 1, 1));
        Assert.True(token.HasExpression);
        Assert.False(new ScalarToken("echo hi", IsPlain: true, token.Location).HasExpression);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("FALSE", false)]
    public void TryGetBoolean_PlainBoolean_Reads(string text, bool expected)
    {
        Assert.True(Plain(text).TryGetBoolean(out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("on")]
    [InlineData("1")]
    public void TryGetBoolean_NotCoreSchemaBoolean_IsFalse(string text) => Assert.False(Plain(text).TryGetBoolean(out _));

    [Fact]
    public void TryGetBoolean_Quoted_IsFalse() => Assert.False(new ScalarToken("true", IsPlain: false, Plain("x").Location).TryGetBoolean(out _));

    [Theory]
    [InlineData("10", 10)]
    [InlineData("-3", -3)]
    [InlineData("+2.5", 2.5)]
    [InlineData("1e3", 1000)]
    [InlineData(".5", 0.5)]
    [InlineData("0x1F", 31)]
    [InlineData("0o17", 15)]
    public void TryGetNumber_CoreSchemaNumber_Reads(string text, double expected)
    {
        Assert.True(Plain(text).TryGetNumber(out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("ten")]
    [InlineData("1.2.3")]
    [InlineData("0x")]
    [InlineData("0o9")]
    [InlineData("1e")]
    [InlineData("")]
    [InlineData("Infinity")]
    public void TryGetNumber_NotANumber_IsFalse(string text) => Assert.False(Plain(text).TryGetNumber(out _));

    [Fact]
    public void TryGetNumber_InfAndNan_Read()
    {
        Assert.True(Plain(".inf").TryGetNumber(out var inf));
        Assert.Equal(double.PositiveInfinity, inf);
        Assert.True(Plain(".NaN").TryGetNumber(out var nan));
        Assert.True(double.IsNaN(nan));
    }

    [Theory]
    [InlineData("")]
    [InlineData("~")]
    [InlineData("null")]
    public void IsNull_PlainNull_IsTrue(string text) => Assert.True(Plain(text).IsNull);

    [Fact]
    public void GetLocation_PlainScalar_AddsTheOffsetToTheColumn()
    {
        var token = LoadValue("v: echo ${{ x }}\n");

        Assert.Equal(new SourceLocation("w.yml", 1, 9), token.GetLocation(5));
    }

    [Fact]
    public void GetLocation_QuotedScalar_SkipsTheQuote()
    {
        var token = LoadValue("v: 'it''s ${{ x }}'\n");

        Assert.Equal("it's ${{ x }}", token.Value);
        Assert.Equal(new SourceLocation("w.yml", 1, 11), token.GetLocation(5));
    }

    [Fact]
    public void GetLocation_DoubleQuotedWithEscapedQuote_SkipsTheEscape()
    {
        var token = LoadValue("v: \"say \\\"hi\\\" ${{ x }}\"\n");

        Assert.Equal("say \"hi\" ${{ x }}", token.Value);
        Assert.Equal(new SourceLocation("w.yml", 1, 16), token.GetLocation(9));
    }

    [Fact]
    public void GetLocation_LiteralBlock_MapsLinesAndIndentation()
    {
        var token = LoadValue("v: |  # a comment with ${{\n  echo one\n\n    echo ${{ x }}\n");

        Assert.Equal("echo one\n\n  echo ${{ x }}\n", token.Value);
        Assert.Equal(new SourceLocation("w.yml", 2, 3), token.GetLocation(0));
        Assert.Equal(new SourceLocation("w.yml", 4, 10), token.GetLocation(token.Value.IndexOf("${{", StringComparison.Ordinal)));
    }

    [Fact]
    public void GetLocation_FoldedBlock_MapsThroughFoldedLines()
    {
        var token = LoadValue("v: >\n  one\n  two ${{ x }}\n");

        Assert.Equal("one two ${{ x }}\n", token.Value);
        Assert.Equal(new SourceLocation("w.yml", 3, 7), token.GetLocation(8));
    }

    [Fact]
    public void GetLocation_MultiLinePlain_MapsThroughFoldedLines()
    {
        var token = LoadValue("v: one\n   two ${{ x }}\n");

        Assert.Equal("one two ${{ x }}", token.Value);
        Assert.Equal(new SourceLocation("w.yml", 2, 8), token.GetLocation(8));
    }

    [Fact]
    public void GetLocation_HandBuiltToken_CountsLines()
    {
        var token = new ScalarToken("a\nbc", IsPlain: false, new SourceLocation("w.yml", 3, 5));

        Assert.Equal(new SourceLocation("w.yml", 4, 2), token.GetLocation(3));
    }
}
