using System.Text.Json;
using Shipgate.Core.Expressions;

namespace Shipgate.Core.Tests.Expressions;

/// <summary>Every case of GitHub's published expression test vectors, each as its own test.</summary>
public sealed class ExpressionConformanceTests
{
    public static IEnumerable<TheoryDataRow<string>> Cases()
        => ConformanceVectors.Ids.Select(c => new TheoryDataRow<string>(c.Id) { TestDisplayName = c.Display });

    [Fact]
    public void Vectors_AreAllFound()
    {
        Assert.True(ConformanceVectors.Ids.Count() >= 400, $"only {ConformanceVectors.Ids.Count()} vectors under {ConformanceVectors.Folder}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Vector_EvaluatesAsGitHub(string id)
    {
        var vector = ConformanceVectors.Get(id);
        var expr = vector.GetProperty("expr").GetString()!;
        var contexts = new Dictionary<string, ExpressionValue>(StringComparer.OrdinalIgnoreCase);
        if (vector.TryGetProperty("contexts", out var contextsJson))
        {
            foreach (var property in contextsJson.EnumerateObject())
            {
                contexts[property.Name] = ExpressionJson.FromJson(property.Value);
            }
        }

        var options = new ExpressionParseOptions { AllowedContexts = contexts.Keys, AllowStatusFunctions = true };
        ExpressionValue? actual = null;
        ExpressionError? error = null;
        if (ExpressionParser.TryParse(expr, options, out var parsed, out var parseError))
        {
            parsed.TryEvaluate(new EvaluationContext { Contexts = contexts }, out actual, out error);
        }
        else
        {
            error = parseError;
        }

        if (vector.TryGetProperty("err", out var expectedError))
        {
            Assert.True(error is not null, $"expected a {expectedError.GetProperty("kind").GetString()} error, got {actual}");
            Assert.Equal(expectedError.GetProperty("kind").GetString(), error.Kind.ToString().ToLowerInvariant());
            Assert.Contains(expectedError.GetProperty("value").GetString()!, error.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.True(error is null, $"unexpected error: {error?.Kind}: {error?.Message}");
            var expected = vector.GetProperty("result");
            Assert.Equal(expected.GetProperty("kind").GetString(), actual!.Kind.ToString());
            AssertSame(expected.GetProperty("value"), actual, "value");
        }
    }

    private static void AssertSame(JsonElement expected, ExpressionValue actual, string path)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Null:
                Assert.True(actual.Kind == ValueKind.Null, $"{path}: expected null, got {actual}");
                break;
            case JsonValueKind.True or JsonValueKind.False:
                Assert.True(actual is BooleanValue b && b.Value == expected.GetBoolean(), $"{path}: expected {expected}, got {actual}");
                break;
            case JsonValueKind.Number:
                // Numbers compare as doubles: -0 equals 0.
                Assert.True(actual is NumberValue n && n.Value == expected.GetDouble(), $"{path}: expected {expected}, got {actual}");
                break;
            case JsonValueKind.String:
                Assert.True(actual is StringValue s && s.Value == expected.GetString(), $"{path}: expected {expected.GetRawText()}, got {actual}");
                break;
            case JsonValueKind.Array:
                var array = Assert.IsType<ArrayValue>(actual);
                Assert.Equal(expected.GetArrayLength(), array.Count);
                var i = 0;
                foreach (var item in expected.EnumerateArray())
                {
                    AssertSame(item, array.Items[i], $"{path}[{i}]");
                    i++;
                }

                break;
            default:
                var obj = Assert.IsType<ObjectValue>(actual);
                Assert.Equal(expected.EnumerateObject().Count(), obj.Count);
                foreach (var property in expected.EnumerateObject())
                {
                    Assert.Contains(obj.Pairs, pair => pair.Key == property.Name);
                    AssertSame(property.Value, obj[property.Name], $"{path}.{property.Name}");
                }

                break;
        }
    }
}
