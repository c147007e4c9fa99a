using Shipgate.Engine.Tools;

namespace Shipgate.Engine.Tests.Tools;

public sealed class VersionSpecTests
{
    [Theory]
    [InlineData("3.11", "3.11.7", true)]
    [InlineData("3.11", "3.12.0", false)]
    [InlineData("3", "3.11.7", true)]
    [InlineData("3.x", "3.11.7", true)]
    [InlineData("3.x", "4.0.0", false)]
    [InlineData("x", "1.2.3", true)]
    [InlineData("*", "1.2.3", true)]
    [InlineData(">=3.10", "3.11.7", true)]
    [InlineData(">=3.12", "3.11.7", false)]
    [InlineData(">= 3.10", "3.10.0", true)]
    [InlineData(">=3.10 <3.12", "3.11.7", true)]
    [InlineData(">=3.10 <3.11", "3.11.7", false)]
    [InlineData("<=3.11", "3.11.7", true)]
    [InlineData(">3.11", "3.11.7", false)]
    [InlineData(">3.11", "3.12.0", true)]
    [InlineData("8.0.x", "8.0.404", true)]
    [InlineData("8.0.x", "10.0.401", false)]
    [InlineData("8.0.4xx", "8.0.404", true)]
    [InlineData("8.0.1xx", "8.0.404", false)]
    [InlineData("10.0.401", "10.0.401", true)]
    [InlineData("10.0.400", "10.0.401", false)]
    [InlineData("17", "17.0.15", true)]
    [InlineData("21", "17.0.15", false)]
    [InlineData("v20", "20.20.2", true)]
    [InlineData("^18.1", "18.20.4", true)]
    [InlineData("^18.1", "19.0.0", false)]
    [InlineData("~18.1", "18.1.9", true)]
    [InlineData("~18.1", "18.2.0", false)]
    [InlineData("18 || 20", "20.20.2", true)]
    [InlineData("16 || 18", "20.20.2", false)]
    [InlineData("1.20 - 1.22", "1.22.5", true)]
    [InlineData("1.20 - 1.22", "1.23.0", false)]
    [InlineData("3.13", "3.13.0rc1", false)]
    [InlineData("3.13-dev", "3.13.0rc1", true)]
    [InlineData("17.0.15+6", "17.0.15", true)]
    public void IsSatisfiedBy_CommonForms(string spec, string version, bool expected)
    {
        var parsed = VersionSpec.TryParse(spec);
        Assert.NotNull(parsed);
        Assert.Equal(expected, parsed.IsSatisfiedBy(ToolVersion.TryParse(version)!));
    }

    [Theory]
    [InlineData("")]
    [InlineData("latest-lts-ish")]
    [InlineData(">=")]
    [InlineData("3.1a.b")]
    public void TryParse_NotASpec_ReturnsNull(string spec) => Assert.Null(VersionSpec.TryParse(spec));

    [Fact]
    public void Best_PicksTheHighestMatch()
    {
        var versions = new[] { "18.19.0", "18.20.4", "20.1.0", "18.20.5-rc.1" }.Select(v => ToolVersion.TryParse(v)!);

        Assert.Equal("18.20.4", VersionSpec.TryParse("18")!.Best(versions, v => v)!.Text);
    }

    [Theory]
    [InlineData("v20.20.2", new[] { 20, 20, 2 }, "")]
    [InlineData("go1.22.1", new[] { 1, 22, 1 }, "")]
    [InlineData("3.13.0rc1", new[] { 3, 13, 0 }, "rc1")]
    [InlineData("17.0.15+6", new[] { 17, 0, 15 }, "")]
    [InlineData("18.20.5-rc.1", new[] { 18, 20, 5 }, "rc.1")]
    public void ToolVersion_TryParse_PrintedForms(string text, int[] components, string prerelease)
    {
        var version = ToolVersion.TryParse(text)!;

        Assert.Equal(components, version.Components);
        Assert.Equal(prerelease, version.Prerelease);
    }

    [Fact]
    public void ToolVersion_Prerelease_SortsBeforeItsRelease() =>
        Assert.True(ToolVersion.TryParse("3.13.0rc1")!.CompareTo(ToolVersion.TryParse("3.13.0")) < 0);

    [Theory]
    [InlineData("1.8.0_292", "8.0.292")]
    [InlineData("17.0.15", "17.0.15")]
    public void NormalizeJavaVersion_OldNumbering(string printed, string expected) =>
        Assert.Equal(expected, HostToolchains.NormalizeJavaVersion(printed)!.Text);
}
