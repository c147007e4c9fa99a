using Shipgate.Core.Diagnostics;
using Shipgate.Core.Triggers;

namespace Shipgate.Delivery.Configuration;

/// <summary>
/// One entry of <c>freeze:</c>: a window that starts at each occurrence of <see cref="Cron"/> on the wall clock of
/// <see cref="TimeZone"/> and lasts <see cref="Duration"/> of that wall clock, during which deployments wait.
/// </summary>
public sealed class FreezeWindow
{
    /// <summary>When windows start: five cron fields, read in <see cref="TimeZone"/>.</summary>
    public required CronSchedule Cron { get; init; }

    /// <summary>How long each window lasts, counted on the local wall clock (so Fri 17:00 + 63h is Mon 08:00 also when DST changes).</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>The IANA time zone the cron and duration are read in. Default UTC.</summary>
    public required TimeZoneInfo TimeZone { get; init; }

    /// <summary>Where the window is declared.</summary>
    public required SourceLocation Location { get; init; }
}
