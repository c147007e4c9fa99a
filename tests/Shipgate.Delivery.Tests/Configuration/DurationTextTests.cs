using Shipgate.Delivery.Configuration;

namespace Shipgate.Delivery.Tests.Configuration;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("24h", 86_400)]
    [InlineData("7d", 604_800)]
    [InlineData("1h30m", 5400)]
    [InlineData("1d2h3m4s", 93_784)]
    [InlineData("366d", 31_622_400)]
    public void TryParse_Valid_IsRead(string text, long seconds)
    {
        Assert.True(DurationText.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("m")]
    [InlineData("1.5h")]
    [InlineData("30m1h")]
    [InlineData("1h1h")]
    [InlineData("1w")]
    [InlineData("-1h")]
    [InlineData("1 h")]
    [InlineData("367d")]
    [InlineData("99999999999d")]
    public void TryParse_Invalid_IsRefused(string text) => Assert.False(DurationText.TryParse(text, out _));

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(59.9, "59s")]
    [InlineData(5400, "1h30m")]
    [InlineData(86_400, "1d")]
    [InlineData(226_800, "2d15h")]
    public void Format_WritesLargestUnitsFirst(double seconds, string expected) =>
        Assert.Equal(expected, DurationText.Format(TimeSpan.FromSeconds(seconds)));
}
