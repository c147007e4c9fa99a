using Shipgate.Flags.Compiled;

namespace Shipgate.Flags.Tests.Compiled;

public sealed class SemanticVersionTests
{
    [Theory]
    [InlineData("1.2.3")]
    [InlineData("v1.2.3")]
    [InlineData(" 1.2.3 ")]
    [InlineData("0.0.0")]
    [InlineData("1.2.3-beta.1")]
    [InlineData("1.2.3-0.alpha-x")]
    [InlineData("1.2.3+build.5")]
    [InlineData("1.2.3-rc.1+build.5")]
    public void TryParse_ValidVersion_Parses(string text) => Assert.True(SemanticVersion.TryParse(text, out _));

    [Theory]
    [InlineData("")]
    [InlineData("1.2")]
    [InlineData("1.2.3.4")]
    [InlineData("01.2.3")]
    [InlineData("1.2.3-01")]
    [InlineData("1.2.3-")]
    [InlineData("1.2.3-beta..1")]
    [InlineData("1.2.3+")]
    [InlineData("1.2.x")]
    [InlineData("=1.2.3")]
    [InlineData("99999999999999999.0.0")]
    public void TryParse_InvalidVersion_Fails(string text) => Assert.False(SemanticVersion.TryParse(text, out _));

    // The ordering node-semver (and so unleash-client) gives, from the SemVer 2.0.0 specification's example:
    // 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta < 1.0.0-beta < 1.0.0-beta.2 < 1.0.0-beta.11 < 1.0.0-rc.1 < 1.0.0.
    [Fact]
    public void CompareTo_SpecificationExample_OrdersAsSemVer()
    {
        string[] ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
            "1.0.0-rc.1", "1.0.0", "1.0.1", "1.2.0", "2.0.0", "10.0.0"];
        for (var i = 0; i < ordered.Length; i++)
        {
            for (var j = 0; j < ordered.Length; j++)
            {
                Assert.True(SemanticVersion.TryParse(ordered[i], out var a));
                Assert.True(SemanticVersion.TryParse(ordered[j], out var b));
                Assert.Equal(i.CompareTo(j), Math.Sign(a.CompareTo(b)));
            }
        }
    }

    [Fact]
    public void CompareTo_BuildMetadata_IsIgnored()
    {
        Assert.True(SemanticVersion.TryParse("1.2.3+a", out var a));
        Assert.True(SemanticVersion.TryParse("1.2.3+b", out var b));

        Assert.Equal(0, a.CompareTo(b));
    }
}
