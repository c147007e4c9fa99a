using Shipgate.Core.Diagnostics;
using Shipgate.Delivery.Configuration;
using static Shipgate.Delivery.Tests.Configuration.TestConfigs;

namespace Shipgate.Delivery.Tests.Configuration;

public sealed class ShipgateConfigParserApprovalTests
{
    private static string Approval(string body) => Environment("    approval:\n" + body);

    [Fact]
    public void Parse_FullApproval_IsRead()
    {
        var approval = Assert.Single(Valid(Approval("""
                  reviewers: [alice, bob, team:ops]
                  required: 2
                  prevent-self-review: true
                  expires-after: 7d
                  on-expiry: keep-waiting
                  instructions: Check the staging dashboard first.

            """)).Environments).Approval!;

        Assert.Equal(["alice", "bob", "team:ops"], approval.Reviewers.Select(r => r.ToString()));
        Assert.True(approval.Reviewers[2].IsTeam);
        Assert.Equal("ops", approval.Reviewers[2].Name);
        Assert.Equal(2, approval.Required);
        Assert.True(approval.PreventSelfReview);
        Assert.Equal(TimeSpan.FromDays(7), approval.ExpiresAfter);
        Assert.Equal(ApprovalExpiryAction.KeepWaiting, approval.OnExpiry);
        Assert.Equal("Check the staging dashboard first.", approval.Instructions);
    }

    [Fact]
    public void Parse_ApprovalWithOnlyReviewers_HasTheDefaults()
    {
        var approval = Assert.Single(Valid(Approval("      reviewers: alice\n")).Environments).Approval!;

        Assert.Equal(1, approval.Required);
        Assert.False(approval.PreventSelfReview);
        Assert.Null(approval.ExpiresAfter);
        Assert.Equal(ApprovalExpiryAction.Reject, approval.OnExpiry);
        Assert.Null(approval.Instructions);
    }

    [Fact]
    public void Parse_ApprovalWithoutReviewers_IsError()
    {
        var error = SingleError(Approval("      required: 1\n"));

        Assert.Equal(At(4, 7), error.Location);
        Assert.Equal("'environments.e.approval' needs 'reviewers': the users and team:NAME entries who may approve", error.Message);
    }

    [Theory]
    [InlineData("reviewers: []", 18, "'environments.e.approval.reviewers' lists nobody; name at least one user or team:NAME")]
    [InlineData("reviewers: ['alice smith']", 19, "'alice smith' in 'environments.e.approval.reviewers' is not a user or team:NAME (a name of 1 to 100 characters without spaces or commas)")]
    [InlineData("reviewers: ['team:']", 19, "'team:' in 'environments.e.approval.reviewers' is not a user or team:NAME (a name of 1 to 100 characters without spaces or commas)")]
    [InlineData("reviewers: {alice: 1}", 18, "'environments.e.approval.reviewers' must be a string or a sequence of strings, not a mapping")]
    public void Parse_BadReviewers_IsErrorAtTheValue(string line, int column, string message)
    {
        var error = SingleError(Approval($"      {line}\n"));

        Assert.Equal(At(4, column), error.Location);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("required: 0", 17, "'environments.e.approval.required' must be a whole number from 1 to 100, not '0'")]
    [InlineData("required: 3", 17, "'environments.e.approval.required' is 3 but only 2 reviewers are listed")]
    [InlineData("prevent-self-review: yes", 28, "'environments.e.approval.prevent-self-review' must be true or false, not 'yes'")]
    [InlineData("expires-after: 24", 22, "'environments.e.approval.expires-after' must be a duration such as 90s, 30m, 24h, 7d or 1h30m, not '24'")]
    [InlineData("expires-after: 30s", 22, "'environments.e.approval.expires-after' must be from 1m to 366d, not '30s'")]
    [InlineData("expires-after: 400d", 22, "'environments.e.approval.expires-after' must be a duration such as 90s, 30m, 24h, 7d or 1h30m, not '400d'")]
    [InlineData("instructions: ''", 21, "'environments.e.approval.instructions' must not be empty")]
    [InlineData("reviewer: alice", 7, "unknown key 'reviewer' in 'environments.e.approval'; did you mean 'reviewers'?")]
    public void Parse_BadApprovalValue_IsErrorAtTheValue(string line, int column, string message)
    {
        var error = SingleError(Approval($"      reviewers: [alice, bob]\n      {line}\n"));

        Assert.Equal(At(5, column), error.Location);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_OnExpiryMisspelt_SuggestsTheChoice()
    {
        var error = SingleError(Approval("      reviewers: alice\n      expires-after: 1h\n      on-expiry: keep-wait\n"));

        Assert.Equal(At(6, 18), error.Location);
        Assert.Equal("'environments.e.approval.on-expiry' must be reject or keep-waiting, not 'keep-wait'; did you mean 'keep-waiting'?", error.Message);
    }

    [Fact]
    public void Parse_RequiredAboveTheUsersWithATeam_IsAccepted()
    {
        var approval = Assert.Single(Valid(Approval("      reviewers: [alice, team:ops]\n      required: 3\n")).Environments).Approval!;

        Assert.Equal(3, approval.Required);
    }

    [Fact]
    public void Parse_ReviewerListedTwice_WarnsAndKeepsOne()
    {
        var result = Load(Approval("      reviewers: [alice, Alice]\n"));

        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(At(4, 26), warning.Location);
        Assert.Equal("'Alice' is listed twice in 'environments.e.approval.reviewers'", warning.Message);
        Assert.Equal(["alice"], result.Config!.Environments[0].Approval!.Reviewers.Select(r => r.Name));
    }

    [Fact]
    public void Parse_OnExpiryWithoutExpiresAfter_Warns()
    {
        var result = Load(Approval("      reviewers: alice\n      on-expiry: keep-waiting\n"));

        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(At(5, 18), warning.Location);
        Assert.Equal("'environments.e.approval.on-expiry' has no effect without 'expires-after'", warning.Message);
        Assert.NotNull(result.Config);
    }

    [Theory]
    [InlineData("      reviewers: alice\n", UnknownAuthorsAction.Allow)]
    [InlineData("      reviewers: alice\n      prevent-self-review: true\n", UnknownAuthorsAction.Block)]
    [InlineData("      reviewers: alice\n      prevent-self-review: true\n      unknown-authors: allow\n", UnknownAuthorsAction.Allow)]
    [InlineData("      reviewers: alice\n      unknown-authors: block\n", UnknownAuthorsAction.Block)]
    public void Parse_UnknownAuthors_DefaultsToBlockUnderPreventSelfReview(string body, UnknownAuthorsAction expected)
    {
        var approval = Assert.Single(Valid(Approval(body)).Environments).Approval!;

        Assert.Equal(expected, approval.UnknownAuthors);
    }

    [Fact]
    public void Parse_UnknownAuthorsNotAChoice_IsErrorAtTheValue()
    {
        var error = SingleError(Approval("      reviewers: alice\n      unknown-authors: sometimes\n"));

        Assert.Equal(At(5, 24), error.Location);
        Assert.Contains("unknown-authors", error.Message, StringComparison.Ordinal);
    }
}
