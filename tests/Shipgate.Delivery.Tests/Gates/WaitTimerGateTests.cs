using Shipgate.Delivery.Gates;
using static Shipgate.Delivery.Tests.Gates.TestGates;

namespace Shipgate.Delivery.Tests.Gates;

public sealed class WaitTimerGateTests
{
    private static readonly WaitTimerGate FiveMinutes = new(TimeSpan.FromMinutes(5));

    [Fact]
    public void Evaluate_BeforeTheEnd_IsPendingUntilIt()
    {
        var result = Evaluate(FiveMinutes, Request(Environment()), Requested.AddMinutes(1));

        Assert.Equal(GateStatus.Pending, result.Status);
        Assert.Equal(Requested.AddMinutes(5), result.RetryAt);
        Assert.Equal("the wait timer of 5m runs until 2025-06-04 10:05 UTC", result.Reason);
        Assert.Equal([new GateNumber("timer", 300, "s"), new GateNumber("remaining", 240, "s")], result.Numbers);
    }

    [Fact]
    public void Evaluate_AtTheEnd_Passes()
    {
        var result = Evaluate(FiveMinutes, Request(Environment()), Requested.AddMinutes(5));

        Assert.Equal(GateStatus.Pass, result.Status);
        Assert.Equal("the wait timer of 5m has run out", result.Reason);
        Assert.Null(result.RetryAt);
    }
}
