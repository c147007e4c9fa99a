using Shipgate.Delivery.Configuration;

namespace Shipgate.Delivery.Gates;

/// <summary><c>wait-timer:</c>: pending until the request is <paramref name="timer"/> old.</summary>
internal sealed class WaitTimerGate(TimeSpan timer) : IEnvironmentGate
{
    public GateResult Evaluate(EnvironmentGateContext context)
    {
        var end = context.Request.RequestedAt + timer;
        var remaining = end - context.Now;
        var timerSeconds = new GateNumber("timer", timer.TotalSeconds, "s");
        if (remaining <= TimeSpan.Zero)
        {
            return GateResult.Pass(GateNames.WaitTimer, $"the wait timer of {DurationText.Format(timer)} has run out", timerSeconds, new GateNumber("remaining", 0, "s"));
        }

        return GateResult.Pending(
            GateNames.WaitTimer,
            $"the wait timer of {DurationText.Format(timer)} runs until {GateTime.Utc(end)}",
            end,
            timerSeconds,
            new GateNumber("remaining", Math.Ceiling(remaining.TotalSeconds), "s"));
    }
}
