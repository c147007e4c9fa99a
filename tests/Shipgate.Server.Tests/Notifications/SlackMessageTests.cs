using Shipgate.Server.Notifications;

namespace Shipgate.Server.Tests.Notifications;

public sealed class SlackMessageTests
{
    private static readonly NotificationRun Run = new(12, 3, "delivery", "a1b2c3d4e5f6", "refs/heads/main", "http://127.0.0.1:5080/api/v1/runs/12");

    [Theory]
    [InlineData("waiting", "pending", null, "hello-service a1b2c3d waiting for approval to production (run 12) — approve with: shipgate approve 4")]
    [InlineData("waiting", null, "wait timer: 5 minutes left", "hello-service a1b2c3d waiting to deploy to production (run 12): wait timer: 5 minutes left")]
    [InlineData("approved", "approved", null, "hello-service a1b2c3d approved for production by alice (run 12)")]
    [InlineData("rejected", "rejected", null, "hello-service a1b2c3d rejected for production by alice (run 12): not during the sale")]
    [InlineData("deployed", null, null, "hello-service a1b2c3d deployed to production (run 12)")]
    [InlineData("failed", null, "job build failed", "hello-service a1b2c3d failed: delivery (run 12): job build failed")]
    [InlineData("rolled-back", null, "error rate 7%", "hello-service a1b2c3d rolled back in production (run 12): error rate 7%")]
    public void Text_EachEvent_OneLineForPeople(string @event, string? approvalStatus, string? reason, string expected)
    {
        var decisions = approvalStatus is "approved" or "rejected"
            ? new[] { new NotificationDecision("alice", approvalStatus, approvalStatus == "rejected" ? "not during the sale" : null, DateTimeOffset.UnixEpoch) }
            : [];
        var approval = approvalStatus is null ? null : new NotificationApproval(4, approvalStatus, ["alice"], 1, decisions);
        var payload = new NotificationPayload(@event, "hello-service", Run, "production", approval, reason, DateTimeOffset.UnixEpoch);

        Assert.Equal(expected, SlackMessage.Text(payload));
    }
}
