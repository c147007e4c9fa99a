using System.Text.RegularExpressions;
using Shipgate.Core.Triggers;
using Shipgate.Core.Workflows;

namespace Shipgate.Delivery.Configuration;

internal sealed partial class ShipgateConfigParser
{
    private static readonly string[] FreezeKeys = ["cron", "duration", "timezone"];

    private List<FreezeWindow> ReadFreeze(TemplateToken token, string what)
    {
        var windows = new List<FreezeWindow>();
        if (token is ScalarToken { IsNull: true })
        {
            return windows;
        }

        if (token is not SequenceToken sequence)
        {
            Error(token.Location, $"'{what}' must be a sequence of windows (- cron: ..., duration: ..., timezone: ...), not {token.KindName}");
            return windows;
        }

        for (var i = 0; i < sequence.Items.Count; i++)
        {
            if (ReadFreezeWindow(sequence.Items[i], $"{what}[{i}]") is { } window)
            {
                windows.Add(window);
            }
        }

        return windows;
    }

    private FreezeWindow? ReadFreezeWindow(TemplateToken token, string what)
    {
        var map = ReadMapping(token, what);
        if (map is null)
        {
            return null;
        }

        CronSchedule? cron = null;
        TimeSpan? duration = null;
        var zone = TimeZoneInfo.Utc;
        var valid = true;
        foreach (var (key, value) in map.Pairs)
        {
            switch (key.Value)
            {
                case "cron":
                    if (ReadString(value, $"{what}.cron") is { } text)
                    {
                        if (CronSchedule.TryParse(text.Value, out var schedule, out var error))
                        {
                            cron = schedule;
                        }
                        else
                        {
                            Error(text.Location, error!);
                        }
                    }

                    break;
                case "duration":
                    duration = ReadDuration(value, $"{what}.duration", TimeSpan.FromMinutes(1));
                    break;
                case "timezone":
                    var found = ReadTimeZone(value, $"{what}.timezone");
                    zone = found ?? zone;
                    valid &= found is not null;
                    break;
                default:
                    UnknownKey(key, FreezeKeys, what);
                    break;
            }
        }

        foreach (var (key, present) in new[] { ("cron", cron is not null), ("duration", duration is not null) })
        {
            if (!present && map[key] is null)
            {
                Error(map.Location, $"'{what}' needs '{key}'");
            }
        }

        if (cron is null || duration is null || !valid)
        {
            return null;
        }

        return new FreezeWindow { Cron = cron, Duration = duration.Value, TimeZone = zone, Location = map.Location };
    }

    /// <summary>An IANA time zone id known to this machine (tzdata), such as Europe/Berlin or UTC.</summary>
    private TimeZoneInfo? ReadTimeZone(TemplateToken token, string what)
    {
        var id = ReadString(token, what);
        if (id is null)
        {
            return null;
        }

        // The id names a file under the zoneinfo directory: only IANA-shaped ids are looked up.
        if (IanaIdRegex().IsMatch(id.Value) && !id.Value.Contains("..", StringComparison.Ordinal)
            && TimeZoneInfo.TryFindSystemTimeZoneById(id.Value, out var zone))
        {
            return zone;
        }

        var suggestion = KeySuggestion.DidYouMean(id.Value, TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id));
        Error(id.Location, $"'{what}' is not a known IANA time zone such as Europe/Berlin or UTC: '{id.Value}'{suggestion}");
        return null;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex IanaIdRegex();
}
