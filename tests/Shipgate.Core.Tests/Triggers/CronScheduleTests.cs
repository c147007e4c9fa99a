using Shipgate.Core.Triggers;

namespace Shipgate.Core.Tests.Triggers;

public sealed class CronScheduleTests
{
    [Theory]
    [InlineData("0 17 * * FRI")]
    [InlineData("*/15 * * * *")]
    [InlineData("30 5,17 * * 1-5")]
    [InlineData("0 0 1 JAN *")]
    public void TryParse_ValidExpression_Parses(string text)
    {
        Assert.True(CronSchedule.TryParse(text, out var schedule, out var error));
        Assert.Null(error);
        Assert.Equal(text, schedule!.Text);
    }

    [Fact]
    public void TryParse_WrongFieldCount_SaysFive()
    {
        Assert.False(CronSchedule.TryParse("* * * *", out _, out var error));
        Assert.Equal("cron expression '* * * *' has 4 fields; it needs 5 (minute hour day-of-month month day-of-week)", error);
    }

    [Fact]
    public void TryParse_SixFields_IsRefused() => Assert.False(CronSchedule.TryParse("0 * * * * *", out _, out _));

    [Fact]
    public void TryParse_OutOfRange_NamesTheField()
    {
        Assert.False(CronSchedule.TryParse("61 * * * *", out _, out var error));
        Assert.Equal("invalid cron expression '61 * * * *': minutes: Value must be a number between 0 and 59 (all inclusive)", error);
    }

    [Fact]
    public void GetNextOccurrence_EveryHour_IsTheNextFullHour()
    {
        Assert.True(CronSchedule.TryParse("0 * * * *", out var schedule, out _));

        var next = schedule!.GetNextOccurrence(new DateTimeOffset(2025, 1, 1, 10, 20, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2025, 1, 1, 11, 0, 0, TimeSpan.Zero), next);
    }
}
