using Shipgate.Server.Git;

namespace Shipgate.Server.Tests.Git;

public sealed class GitRefNameTests
{
    [Theory]
    [InlineData("main")]
    [InlineData("release/1.2")]
    [InlineData("refs/heads/feature-x")]
    [InlineData("refs/tags/v1.0.0")]
    [InlineData("HEAD")]
    public void IsValid_BranchTagOrFullRef_IsAccepted(string name) => Assert.True(GitRefName.IsValid(name));

    [Theory]
    [InlineData("main~2")]
    [InlineData("HEAD^")]
    [InlineData("@{-1}")]
    [InlineData("main@{yesterday}")]
    [InlineData("main..x")]
    [InlineData(":/msg")]
    [InlineData("main^{commit}")]
    [InlineData("-n")]
    [InlineData("@")]
    [InlineData("a//b")]
    [InlineData("x.lock")]
    [InlineData(".hidden")]
    [InlineData("with space")]
    [InlineData("glob*")]
    [InlineData("")]
    public void IsValid_RevisionSyntaxOrBadName_IsRefused(string name) => Assert.False(GitRefName.IsValid(name));

    [Fact]
    public void IsValid_LongerThan255_IsRefused() => Assert.False(GitRefName.IsValid(new string('a', 256)));

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef01234567", true)]
    [InlineData("0123456789ABCDEF0123456789ABCDEF01234567", true)]
    [InlineData("0123456", false)]
    [InlineData("0123456789abcdef0123456789abcdef0123456g", false)]
    public void IsFullSha_FortyOrSixtyFourHexDigitsOnly(string value, bool expected) => Assert.Equal(expected, GitRefName.IsFullSha(value));
}
