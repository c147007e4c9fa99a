using Shipgate.Delivery.Approvals;
using Shipgate.Delivery.Configuration;

namespace Shipgate.Delivery.Tests.Approvals;

/// <summary>Builds approval definitions and policies for tests.</summary>
internal static class TestApprovals
{
    public static readonly DateTimeOffset Start = new(2025, 6, 2, 9, 0, 0, TimeSpan.Zero);

    public static readonly ApprovalKey Key = new("run-1", "production");

    public static ApprovalDefinition Definition(
        string reviewers,
        int required = 1,
        bool preventSelfReview = false,
        TimeSpan? expiresAfter = null,
        ApprovalExpiryAction onExpiry = ApprovalExpiryAction.Reject) => new()
        {
            Reviewers = reviewers.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(ReviewerReference.Parse).ToList(),
            Required = required,
            PreventSelfReview = preventSelfReview,
            ExpiresAfter = expiresAfter,
            OnExpiry = onExpiry,
        };

    public static ApprovalPolicy Policy(ApprovalDefinition definition, string? initiator = null, string? commitAuthor = null, FakeTeamDirectory? teams = null) =>
        ApprovalPolicy.ResolveAsync(definition, initiator, commitAuthor, [], null, teams ?? new FakeTeamDirectory()).AsTask().WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();

    public static ApprovalState Open(ApprovalDefinition definition, string? initiator = null, string? commitAuthor = null, FakeTeamDirectory? teams = null) =>
        ApprovalState.Open(Key, Policy(definition, initiator, commitAuthor, teams), Start);
}
