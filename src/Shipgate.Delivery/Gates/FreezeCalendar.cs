using Shipgate.Delivery.Configuration;

namespace Shipgate.Delivery.Gates;

/// <summary>
/// Finds whether a moment is inside a freeze window. A window starts at each cron occurrence on the wall clock
/// of its time zone (Cronos: a start in a skipped hour happens at the transition, one in a repeated hour once)
/// and ends <see cref="FreezeWindow.Duration"/> later on that same wall clock. A wall-clock end that falls in a
/// skipped or repeated hour is taken at its later instant, so that a freeze never ends early.
/// </summary>
public static class FreezeCalendar
{
    /// <summary>Daylight saving moves a wall-clock duration by at most this much against elapsed time (2h in a few zones).</summary>
    private static readonly TimeSpan DstSlack = TimeSpan.FromHours(3);

    /// <summary>Chained windows followed before giving up; the period then ends where the search stopped, to be asked again.</summary>
    private const int MaxChain = 100;

    /// <summary>
    /// The frozen period <paramref name="now"/> is in, following windows that overlap or adjoin one another to
    /// the first moment no window covers; null when no window is active at <paramref name="now"/>.
    /// </summary>
    public static FreezePeriod? Find(IReadOnlyList<FreezeWindow> windows, DateTimeOffset now)
    {
        FreezePeriod? first = null;
        var end = now;
        for (var i = 0; i < MaxChain; i++)
        {
            FreezePeriod? latest = null;
            foreach (var window in windows)
            {
                if (Active(window, end) is { } period && (latest is null || period.End > latest.End))
                {
                    latest = period;
                }
            }

            if (latest is null)
            {
                break;
            }

            first ??= latest;
            end = latest.End;
        }

        return first is null ? null : first with { End = end };
    }

    /// <summary>The window of <paramref name="window"/> that covers <paramref name="at"/> (start ≤ at &lt; end), or null.</summary>
    internal static FreezePeriod? Active(FreezeWindow window, DateTimeOffset at)
    {
        // Of the windows that started up to 'at', the latest ends last, so it is the only one to check.
        var start = LatestStart(window, at, at - window.Duration - DstSlack);
        if (start is null)
        {
            return null;
        }

        var end = WallClockEnd(window, start.Value);
        return end > at ? new FreezePeriod(window, start.Value, end) : null;
    }

    /// <summary>The latest cron occurrence in (<paramref name="after"/>, <paramref name="at"/>], found by bisection (Cronos only looks forward).</summary>
    internal static DateTimeOffset? LatestStart(FreezeWindow window, DateTimeOffset at, DateTimeOffset after)
    {
        var next = window.Cron.GetNextOccurrence(after, window.TimeZone);
        if (next is null || next > at)
        {
            return null;
        }

        // Invariant: an occurrence lies in (low, at]; none lies in (high, at]. Cron fires on whole minutes,
        // so a bracket of one second pins the latest occurrence.
        var low = after;
        var high = at;
        while (high - low > TimeSpan.FromSeconds(1))
        {
            var middle = low + ((high - low) / 2);
            if (window.Cron.GetNextOccurrence(middle, window.TimeZone) <= at)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return window.Cron.GetNextOccurrence(low, window.TimeZone);
    }

    /// <summary>The window's end: its start on the local wall clock plus the duration, back to an instant.</summary>
    internal static DateTimeOffset WallClockEnd(FreezeWindow window, DateTimeOffset start)
    {
        var zone = window.TimeZone;
        var localEnd = TimeZoneInfo.ConvertTime(start, zone).DateTime + window.Duration;
        TimeSpan offset;
        if (zone.IsAmbiguousTime(localEnd))
        {
            offset = zone.GetAmbiguousTimeOffsets(localEnd).Min();
        }
        else if (zone.IsInvalidTime(localEnd))
        {
            // A skipped hour: the offsets on either side of it; the smaller gives the later instant.
            var before = zone.GetUtcOffset(localEnd.AddDays(-1));
            var after = zone.GetUtcOffset(localEnd.AddDays(1));
            offset = before < after ? before : after;
        }
        else
        {
            offset = zone.GetUtcOffset(localEnd);
        }

        return new DateTimeOffset(localEnd, offset);
    }
}
