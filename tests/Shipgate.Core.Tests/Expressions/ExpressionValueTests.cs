using Shipgate.Core.Expressions;

namespace Shipgate.Core.Tests.Expressions;

public sealed class ExpressionValueTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("  ", 0)]
    [InlineData(" 0x1F ", 31)]
    [InlineData("0o17", 15)]
    [InlineData("1.", 1)]
    [InlineData(".5", 0.5)]
    [InlineData("-.5e1", -5)]
    [InlineData("+1E+2", 100)]
    [InlineData("\t-Infinity\n", double.NegativeInfinity)]
    [InlineData("+Infinity", double.PositiveInfinity)]
    [InlineData("0b11", double.NaN)]
    [InlineData("0X1F", double.NaN)]
    [InlineData("-0x1F", double.NaN)]
    [InlineData("1e", double.NaN)]
    [InlineData(".", double.NaN)]
    [InlineData("1_000", double.NaN)]
    [InlineData("infinity", double.NaN)]
    [InlineData("NaN", double.NaN)]
    [InlineData("1,5", double.NaN)]
    public void CoerceToNumber_OfString_FollowsGitHub(string text, double expected)
        => Assert.Equal(expected, new StringValue(text).CoerceToNumber());

    [Fact]
    public void Coercions_OfEachKind()
    {
        Assert.Equal(["", "true", "false", "1.5", "x", "Array", "Object"], Values().Select(v => v.CoerceToString()));
        Assert.Equal([false, true, false, true, true, true, true], Values().Select(v => v.IsTruthy));
        Assert.Equal([0, 1, 0, 1.5, double.NaN, double.NaN, double.NaN], Values().Select(v => v.CoerceToNumber()));
        Assert.Equal([true, true, true, true, true, false, false], Values().Select(v => v.IsPrimitive));
    }

    [Theory]
    [InlineData("0", false)]
    [InlineData("-0", false)]
    [InlineData("NaN", false)]
    [InlineData("-1", true)]
    [InlineData("Infinity", true)]
    public void IsTruthy_OfNumber(string number, bool expected)
        => Assert.Equal(expected, new NumberValue(double.Parse(number, System.Globalization.CultureInfo.InvariantCulture)).IsTruthy);

    private static ExpressionValue[] Values() =>
        [ExpressionValue.Null, ExpressionValue.True, ExpressionValue.False, new NumberValue(1.5), new StringValue("x"), new ArrayValue(), new ObjectValue()];
}
