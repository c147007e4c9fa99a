using Shipgate.Core.Workflows;

namespace Shipgate.Core.Tests.Workflows;

public sealed class KeySuggestionTests
{
    private static readonly string[] JobKeys = ["name", "needs", "runs-on", "steps", "timeout-minutes", "environment", "env"];

    [Theory]
    [InlineData("runs_on", "runs-on")]
    [InlineData("Runs-On", "runs-on")]
    [InlineData("step", "steps")]
    [InlineData("nedes", "needs")]
    [InlineData("timeout-minute", "timeout-minutes")]
    [InlineData("enviroment", "environment")]
    public void Closest_Typo_FindsTheKey(string typo, string expected) => Assert.Equal(expected, KeySuggestion.Closest(typo, JobKeys));

    [Theory]
    [InlineData("banana")]
    [InlineData("timeout")]
    [InlineData("x")]
    public void Closest_NothingClose_IsNull(string name) => Assert.Null(KeySuggestion.Closest(name, JobKeys));

    [Fact]
    public void DidYouMean_FormatsTheSuggestion()
    {
        Assert.Equal("; did you mean 'steps'?", KeySuggestion.DidYouMean("stpes", JobKeys));
        Assert.Equal("", KeySuggestion.DidYouMean("zzz", JobKeys));
    }

    [Theory]
    [InlineData("", "abc", 3)]
    [InlineData("abc", "abc", 0)]
    [InlineData("abc", "acb", 1)]
    [InlineData("kitten", "sitting", 3)]
    public void Distance_CountsEdits(string a, string b, int expected) => Assert.Equal(expected, KeySuggestion.Distance(a, b));
}
