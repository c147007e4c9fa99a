using Shipgate.Delivery.Gates;

namespace Shipgate.Delivery.Tests.Gates;

public sealed class GateResultTests
{
    private static readonly DateTimeOffset T = new(2025, 6, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Combine_Nothing_Passes()
    {
        var combined = GateResult.Combine("environment", []);

        Assert.Equal(GateStatus.Pass, combined.Status);
        Assert.Equal("no gate applies", combined.Reason);
    }

    [Fact]
    public void Combine_AllPass_Passes()
    {
        var combined = GateResult.Combine("environment", [GateResult.Pass("a", "fine"), GateResult.Pass("b", "fine too")]);

        Assert.Equal(GateStatus.Pass, combined.Status);
        Assert.Equal("every gate passed", combined.Reason);
        Assert.Equal([new GateNumber("passed", 2), new GateNumber("pending", 0), new GateNumber("failed", 0)], combined.Numbers);
        Assert.Null(combined.RetryAt);
    }

    [Fact]
    public void Combine_AFailure_FailsWithTheFirstFailuresReason()
    {
        var combined = GateResult.Combine("environment",
        [
            GateResult.Pending("a", "waiting", T),
            GateResult.Fail("b", "wrong branch"),
            GateResult.Fail("c", "rejected"),
        ]);

        Assert.Equal(GateStatus.Fail, combined.Status);
        Assert.Equal("wrong branch", combined.Reason);
        Assert.Null(combined.RetryAt);
    }

    [Fact]
    public void Combine_Pending_TakesTheFirstReasonAndTheEarliestRetry()
    {
        var combined = GateResult.Combine("environment",
        [
            GateResult.Pass("a", "fine"),
            GateResult.Pending("b", "waiting for people", null),
            GateResult.Pending("c", "frozen", T.AddHours(5)),
            GateResult.Pending("d", "timer", T.AddMinutes(5)),
        ]);

        Assert.Equal(GateStatus.Pending, combined.Status);
        Assert.Equal("waiting for people", combined.Reason);
        Assert.Equal(T.AddMinutes(5), combined.RetryAt);
        Assert.Equal("environment", combined.Gate);
    }

    [Fact]
    public void Combine_PendingWithoutRetryTimes_HasNone() =>
        Assert.Null(GateResult.Combine("environment", [GateResult.Pending("a", "waiting", null)]).RetryAt);
}
