using Shipgate.Core.Expressions;
using Shipgate.Engine.Matrix;

namespace Shipgate.Engine.Tests.Matrix;

public sealed class MatrixExpanderTests
{
    [Fact]
    public void TryExpand_Vectors_ProductWithTheLastVectorFastest()
    {
        var legs = Expand("""{"os": ["linux", "mac"], "node": [18, 20]}""");

        Assert.Equal(
            ["""{"os":"linux","node":18}""", """{"os":"linux","node":20}""", """{"os":"mac","node":18}""", """{"os":"mac","node":20}"""],
            legs);
    }

    [Fact]
    public void TryExpand_GitHubsDocumentedIncludeExample_MatchesItsResult()
    {
        // The example of GitHub's docs ("Expanding or adding matrix configurations").
        var legs = Expand("""
            {"fruit": ["apple", "pear"], "animal": ["cat", "dog"],
             "include": [{"color": "green"}, {"color": "pink", "animal": "cat"}, {"fruit": "apple", "shape": "circle"},
                         {"fruit": "banana"}, {"fruit": "banana", "animal": "cat"}]}
            """);

        Assert.Equal(
            [
                """{"fruit":"apple","animal":"cat","color":"pink","shape":"circle"}""",
                """{"fruit":"apple","animal":"dog","color":"green","shape":"circle"}""",
                """{"fruit":"pear","animal":"cat","color":"pink"}""",
                """{"fruit":"pear","animal":"dog","color":"green"}""",
                """{"fruit":"banana"}""",
                """{"fruit":"banana","animal":"cat"}""",
            ],
            legs);
    }

    [Fact]
    public void TryExpand_Exclude_RemovesPartialMatchesBeforeInclude()
    {
        var legs = Expand("""
            {"os": ["linux", "windows"], "version": [12, 14, 16],
             "exclude": [{"os": "windows", "version": 12}, {"version": 16}],
             "include": [{"os": "windows", "version": 16, "experimental": true}]}
            """);

        Assert.Equal(
            ["""{"os":"linux","version":12}""", """{"os":"linux","version":14}""", """{"os":"windows","version":14}""", """{"os":"windows","version":16,"experimental":true}"""],
            legs);
    }

    [Fact]
    public void TryExpand_OnlyInclude_EachEntryIsALeg()
    {
        var legs = Expand("""{"include": [{"site": "a", "port": 1}, {"site": "b"}]}""");

        Assert.Equal(["""{"site":"a","port":1}""", """{"site":"b"}"""], legs);
    }

    [Fact]
    public void TryExpand_IncludeOverwritesAddedValuesButNotOriginalOnes()
    {
        var legs = Expand("""{"os": ["linux"], "include": [{"extra": "one"}, {"extra": "two"}, {"os": "linux", "extra": "three"}]}""");

        Assert.Equal(["""{"os":"linux","extra":"three"}"""], legs);
    }

    [Theory]
    [InlineData("""{"os": []}""", "matrix vector 'os' does not contain any values")]
    [InlineData("""{"os": "linux"}""", "matrix vector 'os' must be a list")]
    [InlineData("""{"os": ["a"], "exclude": [{"os": "a"}]}""", "the matrix does not generate any job")]
    [InlineData("""["a"]""", "the matrix must be a mapping")]
    public void TryExpand_BadMatrix_ExplainsWhy(string json, string message)
    {
        Assert.False(MatrixExpander.TryExpand(Parse(json), out _, out var error));
        Assert.StartsWith(message, error);
    }

    [Fact]
    public void TryExpand_MoreThan256Legs_IsRefused()
    {
        var values = string.Join(",", Enumerable.Range(0, 17));
        Assert.False(MatrixExpander.TryExpand(Parse($$"""{"a": [{{values}}], "b": [{{values}}]}"""), out _, out var error));
        Assert.Contains("256", error);
    }

    [Fact]
    public void DisplaySuffix_JoinsValuesInKeyOrder()
    {
        Assert.True(MatrixExpander.TryExpand(Parse("""{"node": [18], "os": ["ubuntu"]}"""), out var legs, out _));
        Assert.Equal("18, ubuntu", MatrixExpander.DisplaySuffix(legs[0]));
    }

    private static List<string> Expand(string json)
    {
        Assert.True(MatrixExpander.TryExpand(Parse(json), out var legs, out var error), error);
        return [.. legs.Select(l => ExpressionJson.ToJson(l, indented: false))];
    }

    private static ExpressionValue Parse(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return ExpressionJson.FromJson(document.RootElement);
    }
}
