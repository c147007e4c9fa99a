using Shipgate.Delivery.Approvals;

namespace Shipgate.Delivery.Tests.Approvals;

public sealed class ApprovalKeyTests
{
    [Fact]
    public void Equality_EnvironmentNamesDifferingInCase_AreTheSameApproval()
    {
        Assert.Equal(new ApprovalKey("run-7", "production"), new ApprovalKey("run-7", "Production"));
        Assert.Equal("run-7/production", new ApprovalKey("run-7", "PRODUCTION").ToString());
    }

    [Fact]
    public void Equality_OtherRunOrEnvironment_IsAnotherApproval()
    {
        Assert.NotEqual(new ApprovalKey("run-7", "production"), new ApprovalKey("run-8", "production"));
        Assert.NotEqual(new ApprovalKey("run-7", "production"), new ApprovalKey("run-7", "staging"));
    }

    [Theory]
    [InlineData("", "production")]
    [InlineData("run-7", " ")]
    public void Constructor_EmptyPart_Throws(string runId, string environment) =>
        Assert.ThrowsAny<ArgumentException>(() => new ApprovalKey(runId, environment));
}
