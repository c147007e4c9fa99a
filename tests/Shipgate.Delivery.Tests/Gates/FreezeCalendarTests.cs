using Shipgate.Core.Diagnostics;
using Shipgate.Core.Triggers;
using Shipgate.Delivery.Configuration;
using Shipgate.Delivery.Gates;

namespace Shipgate.Delivery.Tests.Gates;

/// <summary>
/// Freeze windows on a real zone's clock. Europe/Berlin in 2025: summer time begins Sunday 30 March at
/// 02:00 CET (01:00 UTC, clocks jump to 03:00) and ends Sunday 26 October at 03:00 CEST (01:00 UTC, clocks
/// go back to 02:00), per the IANA tz database.
/// </summary>
public sealed class FreezeCalendarTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    internal static FreezeWindow Window(string cron, TimeSpan duration, TimeZoneInfo? zone = null)
    {
        Assert.True(CronSchedule.TryParse(cron, out var schedule, out var error), error);
        return new FreezeWindow { Cron = schedule!, Duration = duration, TimeZone = zone ?? TimeZoneInfo.Utc, Location = new SourceLocation("shipgate.yml", 1, 1) };
    }

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2025, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Find_WeekendFreeze_EndsMondayAtEightLocal()
    {
        var weekend = Window("0 17 * * FRI", TimeSpan.FromHours(63), Berlin);

        // Friday 6 June 17:00 CEST is 15:00 UTC; Monday 08:00 CEST is 06:00 UTC.
        Assert.Null(FreezeCalendar.Find([weekend], Utc(6, 6, 14, 59)));
        var period = FreezeCalendar.Find([weekend], Utc(6, 7, 12))!;
        Assert.Equal(Utc(6, 6, 15), period.Start);
        Assert.Equal(Utc(6, 9, 6), period.End);
        Assert.Null(FreezeCalendar.Find([weekend], Utc(6, 9, 6)));
    }

    [Fact]
    public void Find_WeekendFreezeIntoSummerTime_StillEndsMondayAtEightLocal()
    {
        var weekend = Window("0 17 * * FRI", TimeSpan.FromHours(63), Berlin);

        // Fri 28 March 17:00 CET = 16:00 UTC; Mon 31 March 08:00 CEST = 06:00 UTC: 62 hours elapsed.
        var period = FreezeCalendar.Find([weekend], Utc(3, 31, 5, 59))!;

        Assert.Equal(Utc(3, 28, 16), period.Start);
        Assert.Equal(Utc(3, 31, 6), period.End);
        Assert.Null(FreezeCalendar.Find([weekend], Utc(3, 31, 6)));
    }

    [Fact]
    public void Find_WeekendFreezeOutOfSummerTime_StillEndsMondayAtEightLocal()
    {
        var weekend = Window("0 17 * * FRI", TimeSpan.FromHours(63), Berlin);

        // Fri 24 October 17:00 CEST = 15:00 UTC; Mon 27 October 08:00 CET = 07:00 UTC: 64 hours elapsed,
        // so at 06:30 UTC (63.5 hours) the freeze still holds.
        var period = FreezeCalendar.Find([weekend], Utc(10, 27, 6, 30))!;

        Assert.Equal(Utc(10, 24, 15), period.Start);
        Assert.Equal(Utc(10, 27, 7), period.End);
    }

    [Fact]
    public void Find_StartInTheSkippedHour_StartsAtTheTransition()
    {
        // 02:30 does not exist on 30 March; Cronos fires at the transition, 03:00 CEST = 01:00 UTC.
        var night = Window("30 2 * * SUN", TimeSpan.FromHours(1), Berlin);

        Assert.Null(FreezeCalendar.Find([night], Utc(3, 30, 0, 59)));
        var period = FreezeCalendar.Find([night], Utc(3, 30, 1, 30))!;
        Assert.Equal(Utc(3, 30, 1), period.Start);
        Assert.Equal(Utc(3, 30, 2), period.End);
    }

    [Fact]
    public void Find_StartInTheRepeatedHour_StartsOnceAtTheFirst()
    {
        // 02:30 happens twice on 26 October (00:30 UTC in CEST, 01:30 UTC in CET); the window starts at the
        // first and lasts until 03:30 CET on the wall clock, 02:30 UTC.
        var night = Window("30 2 * * SUN", TimeSpan.FromHours(1), Berlin);

        var period = FreezeCalendar.Find([night], Utc(10, 26, 1, 45))!;

        Assert.Equal(Utc(10, 26, 0, 30), period.Start);
        Assert.Equal(Utc(10, 26, 2, 30), period.End);
    }

    [Fact]
    public void Find_EndInTheSkippedHour_EndsAtTheLaterInstant()
    {
        // 01:30 CET + 1h = 02:30, which does not exist; the freeze holds until 03:30 CEST (01:30 UTC) rather
        // than ending early.
        var night = Window("30 1 * * SUN", TimeSpan.FromHours(1), Berlin);

        var period = FreezeCalendar.Find([night], Utc(3, 30, 1, 15))!;

        Assert.Equal(Utc(3, 30, 0, 30), period.Start);
        Assert.Equal(Utc(3, 30, 1, 30), period.End);
    }

    [Fact]
    public void Find_EndInTheRepeatedHour_EndsAtTheSecondOccurrence()
    {
        // 01:30 CEST (23:30 UTC Saturday) + 1h = 02:30, which happens twice; the freeze ends at the second,
        // 01:30 UTC, so at 00:45 UTC (after the first 02:30) it still holds.
        var night = Window("30 1 * * SUN", TimeSpan.FromHours(1), Berlin);

        var period = FreezeCalendar.Find([night], Utc(10, 26, 0, 45))!;

        Assert.Equal(new DateTimeOffset(2025, 10, 25, 23, 30, 0, TimeSpan.Zero), period.Start);
        Assert.Equal(Utc(10, 26, 1, 30), period.End);
    }

    [Fact]
    public void Find_OverlappingWindows_HoldUntilTheLastEnds()
    {
        var morning = Window("0 9 * * *", TimeSpan.FromHours(2));
        var late = Window("0 10 * * *", TimeSpan.FromHours(3));

        var period = FreezeCalendar.Find([morning, late], Utc(6, 2, 9, 30))!;

        Assert.Same(morning, period.Window);
        Assert.Equal(Utc(6, 2, 9), period.Start);
        Assert.Equal(Utc(6, 2, 13), period.End);
    }

    [Fact]
    public void Find_AdjoiningWindows_AreOnePeriod()
    {
        var first = Window("0 9 * * *", TimeSpan.FromHours(1));
        var second = Window("0 10 * * *", TimeSpan.FromHours(1));

        Assert.Equal(Utc(6, 2, 11), FreezeCalendar.Find([first, second], Utc(6, 2, 9, 59))!.End);
    }

    [Fact]
    public void Find_WindowLongerThanItsInterval_StopsSearchingAndAnswersALaterEnd()
    {
        var always = Window("0 * * * *", TimeSpan.FromMinutes(90));

        var period = FreezeCalendar.Find([always], Utc(6, 2, 9, 30))!;

        Assert.True(period.End > Utc(6, 2, 12), period.End.ToString("O"));
    }

    [Fact]
    public void Find_EveryMinuteForAYear_FindsTheLatestStart()
    {
        var busy = Window("* * * * *", TimeSpan.FromMinutes(1));

        var period = FreezeCalendar.Find([busy], Utc(6, 2, 9, 30).AddSeconds(20))!;

        Assert.Equal(Utc(6, 2, 9, 30), period.Start);
    }

    [Fact]
    public void LatestStart_NoOccurrenceInRange_IsNull()
    {
        var yearly = Window("0 0 1 1 *", TimeSpan.FromDays(1));

        Assert.Null(FreezeCalendar.LatestStart(yearly, Utc(6, 2, 0), Utc(5, 1, 0)));
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), FreezeCalendar.LatestStart(yearly, Utc(6, 2, 0), Utc(1, 1, 0).AddDays(-10)));
    }
}
