using System.Globalization;
using System.Text;

namespace Shipgate.Delivery.Configuration;

/// <summary>
/// Durations as written in shipgate.yml: one or more of a whole number and a unit, largest first
/// (<c>90s</c>, <c>30m</c>, <c>24h</c>, <c>7d</c>, <c>1h30m</c>), the units being s, m, h and d.
/// </summary>
public static class DurationText
{
    /// <summary>The longest duration accepted anywhere (a year and a day), so that date arithmetic cannot overflow.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(366);

    private const string Units = "dhms";

    /// <summary>Reads <paramref name="text"/>; false when it is not a duration or is longer than <see cref="Max"/>.</summary>
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text.Length == 0)
        {
            return false;
        }

        var previousUnit = -1;
        var i = 0;
        long seconds = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            // Nine digits of days is already far past Max; the cap keeps the sum from overflowing.
            if (i == start || i - start > 9 || i == text.Length)
            {
                return false;
            }

            var unit = Units.IndexOf(text[i], StringComparison.Ordinal);
            if (unit <= previousUnit)
            {
                return false;
            }

            var amount = long.Parse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture);
            seconds += amount * UnitSeconds(unit);
            previousUnit = unit;
            i++;
        }

        if (seconds > (long)Max.TotalSeconds)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>Writes <paramref name="value"/> the way the file would: <c>1d2h</c>, <c>30m</c>, <c>0s</c>; fractions of a second are dropped.</summary>
    public static string Format(TimeSpan value)
    {
        var seconds = (long)Math.Max(0, Math.Floor(value.TotalSeconds));
        if (seconds == 0)
        {
            return "0s";
        }

        var text = new StringBuilder();
        for (var unit = 0; unit < Units.Length; unit++)
        {
            var size = UnitSeconds(unit);
            if (seconds >= size)
            {
                text.Append(CultureInfo.InvariantCulture, $"{seconds / size}{Units[unit]}");
                seconds %= size;
            }
        }

        return text.ToString();
    }

    /// <summary>As <see cref="Format"/>, but a duration under a second in milliseconds (<c>300ms</c>), for timeouts that may be that short.</summary>
    public static string FormatPrecise(TimeSpan value) =>
        value > TimeSpan.Zero && value < TimeSpan.FromSeconds(1) ? $"{(long)value.TotalMilliseconds}ms" : Format(value);

    private static long UnitSeconds(int unit) => unit switch
    {
        0 => 86_400,
        1 => 3_600,
        2 => 60,
        _ => 1,
    };
}
