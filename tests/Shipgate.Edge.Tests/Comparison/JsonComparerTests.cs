using System.Text.Json;
using Shipgate.Edge.Comparison;

namespace Shipgate.Edge.Tests.Comparison;

public sealed class JsonComparerTests
{
    private static string? Difference(string primary, string mirror, params string[] ignore)
    {
        using var a = JsonDocument.Parse(primary);
        using var b = JsonDocument.Parse(mirror);
        return new JsonComparer(ignore).FirstDifference(a.RootElement, b.RootElement);
    }

    [Theory]
    [InlineData("""{"a":1,"b":[1,2],"c":{"d":null}}""", """{"c":{"d":null},"b":[1,2],"a":1}""")]
    [InlineData("""{"n":1}""", """{"n":1.0}""")]
    [InlineData("""{"n":100}""", """{"n":1e2}""")]
    [InlineData("""{"n":0.1}""", """{"n":0.10}""")]
    [InlineData("""{"n":-0}""", """{"n":0}""")]
    [InlineData("""{"n":1e400}""", """{"n":1e400}""")]
    [InlineData("""{"s":"A\u00e9"}""", """{"s":"\u0041é"}""")]
    [InlineData("""[true,false,null]""", """ [ true , false , null ] """)]
    [InlineData("""{"a":1,"a":2}""", """{"a":2}""")]
    public void FirstDifference_EqualByValue_IsNull(string primary, string mirror) =>
        Assert.Null(Difference(primary, mirror));

    [Theory]
    [InlineData("""{"a":1}""", """{"a":"1"}""", "$.a")]
    [InlineData("""{"a":1}""", """{"a":2}""", "$.a")]
    [InlineData("""{"a":true}""", """{"a":false}""", "$.a")]
    [InlineData("""{"a":1}""", """{"a":1,"b":2}""", "$.b")]
    [InlineData("""{"a":1,"b":2}""", """{"a":1}""", "$.b")]
    [InlineData("""{"x":{"items":[1,2,3]}}""", """{"x":{"items":[1,3,2]}}""", "$.x.items[1]")]
    [InlineData("""{"items":[1,2]}""", """{"items":[1,2,3]}""", "$.items[2]")]
    [InlineData("""{"s":"a"}""", """{"s":"A"}""", "$.s")]
    [InlineData("""1""", """2""", "$")]
    [InlineData("""{"b":{"c":1},"a":2}""", """{"a":2,"b":{"c":3}}""", "$.b.c")]
    [InlineData("""[{"id":1},{"id":2,"tags":["x"]}]""", """[{"id":1},{"id":2,"tags":["y"]}]""", "$[1].tags[0]")]
    public void FirstDifference_Differing_NamesWhere(string primary, string mirror, string where) =>
        Assert.Equal(where, Difference(primary, mirror));

    [Fact]
    public void FirstDifference_BareName_IgnoredAtAnyDepth()
    {
        Assert.Null(Difference(
            """{"at":1,"order":{"at":2,"lines":[{"at":3,"sku":"x"}]}}""",
            """{"at":9,"order":{"at":8,"lines":[{"sku":"x"}]}}""",
            "at"));
    }

    [Fact]
    public void FirstDifference_Path_IgnoredOnlyThere()
    {
        const string Primary = """{"meta":{"requestId":"a"},"order":{"requestId":"x"}}""";

        Assert.Null(Difference(Primary, """{"meta":{"requestId":"b"},"order":{"requestId":"x"}}""", "$.meta.requestId"));
        Assert.Equal("$.order.requestId", Difference(Primary, """{"meta":{"requestId":"b"},"order":{"requestId":"y"}}""", "$.meta.requestId"));
    }

    [Fact]
    public void FirstDifference_ArrayWildcardPath_IgnoresThatFieldOfEveryElement()
    {
        Assert.Null(Difference(
            """{"items":[{"id":1,"updatedAt":"a"},{"id":2,"updatedAt":"b"}]}""",
            """{"items":[{"id":1,"updatedAt":"c"},{"id":2}]}""",
            "$.items[*].updatedAt"));
        Assert.Equal("$.items[1].id", Difference(
            """{"items":[{"id":1},{"id":2}]}""", """{"items":[{"id":1},{"id":3}]}""", "$.items[*].updatedAt"));
    }
}
