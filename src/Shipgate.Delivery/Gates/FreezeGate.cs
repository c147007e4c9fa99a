using Shipgate.Delivery.Configuration;

namespace Shipgate.Delivery.Gates;

/// <summary>
/// <c>freeze:</c>: pending while a freeze window is active, until the frozen period ends; an admin's
/// <see cref="FreezeOverride"/> for the deployment lets it through, and the pass records who and why.
/// </summary>
internal sealed class FreezeGate(IReadOnlyList<FreezeWindow> windows) : IEnvironmentGate
{
    public GateResult Evaluate(EnvironmentGateContext context)
    {
        var period = FreezeCalendar.Find(windows, context.Now);
        if (period is null)
        {
            return GateResult.Pass(GateNames.Freeze, $"no freeze window of {context.EnvironmentName} is active", new GateNumber("windows", windows.Count));
        }

        var until = GateTime.In(period.End, period.Window.TimeZone);
        var remaining = new GateNumber("remaining", Math.Ceiling((period.End - context.Now).TotalSeconds), "s");
        if (context.Request.FreezeOverride is { } granted)
        {
            return GateResult.Pass(
                GateNames.Freeze,
                $"{context.EnvironmentName} is frozen until {until}, overridden by {granted.By}: {granted.Reason}",
                remaining);
        }

        return GateResult.Pending(
            GateNames.Freeze,
            $"{context.EnvironmentName} is frozen until {until} (window '{period.Window.Cron.Text}' for {DurationText.Format(period.Window.Duration)} from {GateTime.In(period.Start, period.Window.TimeZone)})",
            period.End,
            remaining);
    }
}
