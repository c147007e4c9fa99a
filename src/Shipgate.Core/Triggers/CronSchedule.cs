using Cronos;

namespace Shipgate.Core.Triggers;

/// <summary>A <c>schedule</c> cron expression: five fields (minute hour day-of-month month day-of-week), UTC.</summary>
public sealed class CronSchedule
{
    private const string CronosPrefix = "The given cron expression has an invalid format. ";

    private readonly CronExpression _expression;

    private CronSchedule(string text, CronExpression expression)
    {
        Text = text;
        _expression = expression;
    }

    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>; the error is one sentence naming the field at fault.</summary>
    public static bool TryParse(string text, out CronSchedule? schedule, out string? error)
    {
        schedule = null;
        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            error = $"cron expression '{text}' has {fields.Length} fields; it needs 5 (minute hour day-of-month month day-of-week)";
            return false;
        }

        try
        {
            schedule = new CronSchedule(text, CronExpression.Parse(string.Join(' ', fields), CronFormat.Standard));
            error = null;
            return true;
        }
        catch (CronFormatException ex)
        {
            var detail = ex.Message.StartsWith(CronosPrefix, StringComparison.Ordinal) ? ex.Message[CronosPrefix.Length..] : ex.Message;
            detail = detail.TrimEnd('.');
            if (detail.Length > 0)
            {
                detail = char.ToLowerInvariant(detail[0]) + detail[1..];
            }

            error = $"invalid cron expression '{text}': {detail}";
            return false;
        }
    }

    /// <summary>The first time after <paramref name="from"/> the schedule fires (UTC), or null if never.</summary>
    public DateTimeOffset? GetNextOccurrence(DateTimeOffset from) => _expression.GetNextOccurrence(from, TimeZoneInfo.Utc);

    /// <summary>
    /// The first time after <paramref name="from"/> the schedule fires on the wall clock of <paramref name="zone"/>,
    /// or null if never. Cronos handles daylight saving: a skipped time fires at the transition, a repeated one once.
    /// </summary>
    public DateTimeOffset? GetNextOccurrence(DateTimeOffset from, TimeZoneInfo zone) => _expression.GetNextOccurrence(from, zone);

    public override string ToString() => Text;
}
