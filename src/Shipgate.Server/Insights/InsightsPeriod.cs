using System.Globalization;
using Shipgate.Delivery.Configuration;

namespace Shipgate.Server.Insights;

/// <summary>
/// The period insights cover, [<see cref="From"/>, <see cref="To"/>): <c>since</c> a duration before now (7d, 30d, 12w;
/// default 30d), or <c>from</c> and <c>to</c> as ISO 8601 dates or times. A date alone is midnight UTC, and a <c>to</c>
/// date takes in that whole day, as a date range in a search does. <c>to</c> is at most now.
/// </summary>
internal sealed record InsightsPeriod(DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>The period when the query names none.</summary>
    public static readonly TimeSpan DefaultSince = TimeSpan.FromDays(30);

    /// <summary>Reads the query's period; false with one sentence for the person when it is not one.</summary>
    public static bool TryParse(string? since, string? from, string? to, DateTimeOffset now, out InsightsPeriod period, out string error)
    {
        period = new InsightsPeriod(now - DefaultSince, now);
        error = "";
        if (!string.IsNullOrEmpty(since) && (!string.IsNullOrEmpty(from) || !string.IsNullOrEmpty(to)))
        {
            error = "Give the period either as since (a duration) or as from and to (dates), not both.";
            return false;
        }

        if (!string.IsNullOrEmpty(since))
        {
            if (!TryParseSince(since, out var length))
            {
                error = $"since '{since}' is not a duration such as 7d, 30d or 12w of at most {DurationText.Max.Days} days.";
                return false;
            }

            period = new InsightsPeriod(now - length, now);
            return true;
        }

        DateTimeOffset? start = null, end = null;
        if (!string.IsNullOrEmpty(from))
        {
            if (!TryParseTime(from, endOfDay: false, out var value))
            {
                error = $"from '{from}' is not an ISO 8601 date or time from 1970 on, such as 2026-11-01 or 2026-11-01T09:00:00Z.";
                return false;
            }

            start = value;
        }

        if (!string.IsNullOrEmpty(to))
        {
            if (!TryParseTime(to, endOfDay: true, out var value))
            {
                error = $"to '{to}' is not an ISO 8601 date or time from 1970 on, such as 2026-11-30 or 2026-11-30T18:00:00Z.";
                return false;
            }

            end = value < now ? value : now;
        }

        var until = end ?? now;
        var begin = start ?? until - DefaultSince;
        if (begin >= until)
        {
            error = $"The period from {Text(begin)} to {Text(until)} is empty: from must be before to (and before now).";
            return false;
        }

        period = new InsightsPeriod(begin, until);
        return true;
    }

    /// <summary>The period's length in days (fractional).</summary>
    public double Days => (To - From).TotalDays;

    private static bool TryParseSince(string text, out TimeSpan length)
    {
        length = TimeSpan.Zero;
        if (text.EndsWith('w') && text.Length is > 1 and <= 4
            && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var weeks))
        {
            length = TimeSpan.FromDays(7 * weeks);
        }
        else if (!DurationText.TryParse(text, out length))
        {
            return false;
        }

        return length > TimeSpan.Zero && length <= DurationText.Max;
    }

    // Before 1970 there was no Shipgate, and the bounds keep a period's arithmetic (a day more, 30 days back) in range.
    private static readonly DateTimeOffset Earliest = DateTimeOffset.UnixEpoch;
    private static readonly DateTimeOffset Latest = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static bool TryParseTime(string text, bool endOfDay, out DateTimeOffset value) =>
        TryParseAnyTime(text, endOfDay, out value) && value >= Earliest && value < Latest;

    private static bool TryParseAnyTime(string text, bool endOfDay, out DateTimeOffset value)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            if (date.Year >= Latest.Year)
            {
                value = default;
                return false;
            }

            value = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            if (endOfDay)
            {
                value = value.AddDays(1);
            }

            return true;
        }

        // A time must say its zone (Z or an offset), so the period does not depend on where the server runs.
        var zoned = text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out value)
            && text.Contains('T', StringComparison.OrdinalIgnoreCase)
            && zoned;
    }

    private static string Text(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
