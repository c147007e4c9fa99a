using System.Globalization;

namespace Shipgate.Delivery.Gates;

/// <summary>Times as gates write them in reasons: minutes, in UTC or on a named zone's clock.</summary>
internal static class GateTime
{
    /// <summary><c>2025-03-31 06:00 UTC</c>.</summary>
    public static string Utc(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary><c>2025-03-31 08:00 Europe/Berlin</c>, or the UTC form for the UTC zone.</summary>
    public static string In(DateTimeOffset at, TimeZoneInfo zone) => zone == TimeZoneInfo.Utc || zone.Id is "UTC" or "Etc/UTC"
        ? Utc(at)
        : TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + zone.Id;
}
