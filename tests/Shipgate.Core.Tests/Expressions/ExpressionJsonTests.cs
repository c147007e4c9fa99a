using System.Text;
using System.Text.Json;
using Shipgate.Core.Expressions;

namespace Shipgate.Core.Tests.Expressions;

public sealed class ExpressionJsonTests
{
    [Fact]
    public void FromJson_Object_KeepsOrderAndFirstSpellingOfDuplicateKeys()
    {
        var value = Assert.IsType<ObjectValue>(ExpressionJson.FromJson("""{"b": 1, "A": 2, "a": 3}"""));

        Assert.Equal(["b", "A"], value.Pairs.Select(p => p.Key));
        Assert.Equal(3, Assert.IsType<NumberValue>(value["a"]).Value);
    }

    [Fact]
    public void FromJson_NumberBeyondDouble_IsInfinity()
        => Assert.Equal(double.PositiveInfinity, Assert.IsType<NumberValue>(ExpressionJson.FromJson("1e400")).Value);

    [Fact]
    public void FromJson_NotJson_Throws()
        => Assert.ThrowsAny<JsonException>(() => ExpressionJson.FromJson("{'a': 1}"));

    [Fact]
    public void ToJson_Indented_WritesAsGitHubsToJson()
    {
        var value = ExpressionJson.FromJson("""{"a": [1, 2.5, "x", null, true, [], {}], "b": {"c": -0.0}}""");

        Assert.Equal("{\n  \"a\": [\n    1,\n    2.5,\n    \"x\",\n    null,\n    true,\n    [],\n    {}\n  ],\n  \"b\": {\n    \"c\": 0\n  }\n}", ExpressionJson.ToJson(value, indented: true));
        Assert.Equal("""{"a":[1,2.5,"x",null,true,[],{}],"b":{"c":0}}""", ExpressionJson.ToJson(value, indented: false));
    }

    [Fact]
    public void ToJson_ValueContainingItself_Throws()
    {
        var array = new ArrayValue();
        array.Add(array);

        Assert.Throws<InvalidOperationException>(() => ExpressionJson.ToJson(array, indented: false));
    }

    [Fact]
    public void WriteTo_WritesStrictJsonAtFullPrecision()
    {
        var value = new ArrayValue([
            new NumberValue(1.0), new NumberValue(-0.0), new NumberValue(0.1 + 0.2), new NumberValue(1e300), new NumberValue(double.NaN),
            new NumberValue(double.NegativeInfinity), ExpressionValue.FromString("é\""), ExpressionJson.FromJson("""{"k": null}"""),
        ]);
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ExpressionJson.WriteTo(writer, value);
        }

        var json = Encoding.UTF8.GetString(buffer.ToArray());

        Assert.Equal("""[1,0,0.30000000000000004,1E+300,"NaN","-Infinity","\u00E9\u0022",{"k":null}]""", json);
    }
}
