using Shipgate.Delivery.Gates;
using static Shipgate.Delivery.Tests.Gates.FreezeCalendarTests;
using static Shipgate.Delivery.Tests.Gates.TestGates;

namespace Shipgate.Delivery.Tests.Gates;

public sealed class FreezeGateTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    // Wednesday 4 June 2025 from 12:00 to 14:00 Berlin (10:00 to 12:00 UTC).
    private static readonly FreezeGate Lunch = new([Window("0 12 * * WED", TimeSpan.FromHours(2), Berlin)]);

    [Fact]
    public void Evaluate_OutsideEveryWindow_Passes()
    {
        var result = Evaluate(Lunch, Request(Environment()), Requested.AddHours(2));

        Assert.Equal(GateStatus.Pass, result.Status);
        Assert.Equal("no freeze window of production is active", result.Reason);
    }

    [Fact]
    public void Evaluate_InsideAWindow_IsPendingUntilItEnds()
    {
        var result = Evaluate(Lunch, Request(Environment()), Requested.AddMinutes(30));

        Assert.Equal(GateStatus.Pending, result.Status);
        Assert.Equal(Requested.AddHours(2), result.RetryAt);
        Assert.Equal("production is frozen until 2025-06-04 14:00 Europe/Berlin (window '0 12 * * WED' for 2h from 2025-06-04 12:00 Europe/Berlin)", result.Reason);
        Assert.Equal([new GateNumber("remaining", 5400, "s")], result.Numbers);
    }

    [Fact]
    public void Evaluate_OverriddenByAnAdmin_PassesAndSaysWhoAndWhy()
    {
        Assert.True(FreezeOverride.TryCreate("root", "hotfix for incident 42", Requested, out var granted, out _));

        var result = Evaluate(Lunch, Request(Environment(), freezeOverride: granted), Requested.AddMinutes(30));

        Assert.Equal(GateStatus.Pass, result.Status);
        Assert.Equal("production is frozen until 2025-06-04 14:00 Europe/Berlin, overridden by root: hotfix for incident 42", result.Reason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public void TryCreate_WithoutReason_IsRefused(string? reason)
    {
        Assert.False(FreezeOverride.TryCreate("root", reason, Requested, out var granted, out var error));
        Assert.Null(granted);
        Assert.Equal("overriding a freeze needs a reason", error);
    }

    [Fact]
    public void TryCreate_ReasonTooLong_IsRefused()
    {
        Assert.False(FreezeOverride.TryCreate("root", new string('x', FreezeOverride.MaxReasonLength + 1), Requested, out _, out var error));
        Assert.Equal("the reason is 2001 characters long; the limit is 2000", error);
    }
}
