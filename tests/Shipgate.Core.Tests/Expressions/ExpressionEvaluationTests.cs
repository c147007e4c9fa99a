using Shipgate.Core.Expressions;

namespace Shipgate.Core.Tests.Expressions;

public sealed class ExpressionEvaluationTests
{
    private static string Text(ExpressionValue value) => Assert.IsType<StringValue>(value).Value;

    [Fact]
    public void HashFiles_DelegatesTheCoercedPatternsToTheHook()
    {
        IReadOnlyList<string>? seen = null;
        var context = new EvaluationContext
        {
            Contexts = Eval.Contexts(),
            HashFiles = patterns =>
            {
                seen = patterns;
                return "d41d8cd9";
            },
        };

        var value = Eval.Parse("hashFiles('**/*.csproj', 1, true)").Evaluate(context);

        Assert.Equal("d41d8cd9", Text(value));
        Assert.Equal(["**/*.csproj", "1", "true"], seen);
    }

    [Fact]
    public void HashFiles_WithoutHook_IsAnEvaluationError()
    {
        var error = Eval.EvaluationError("hashFiles('x')", new EvaluationContext { Contexts = Eval.Contexts() });

        Assert.StartsWith("The function hashFiles is not available here. Located at position 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HashFiles_HookFailure_IsAnEvaluationErrorWithItsMessage()
    {
        var context = new EvaluationContext { Contexts = Eval.Contexts(), HashFiles = _ => throw new IOException("disk on fire") };

        var error = Eval.EvaluationError("hashFiles('a', 'b')", context);

        Assert.StartsWith("hashFiles('a', 'b') failed: disk on fire.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("case(true, 'a', 'b')", "a")]
    [InlineData("case(false, 'a', 'b')", "b")]
    [InlineData("case(false, 'a', 1 == 1, 'b', 'c')", "b")]
    [InlineData("case(false, 'a', false, 'b', 'c')", "c")]
    [InlineData("case(x.n > 1, 'big', 'small')", "big")]
    public void Case_ReturnsTheValueOfTheFirstTruePredicateElseTheDefault(string expression, string expected)
        => Assert.Equal(expected, Text(Eval.Value(expression, """{"x": {"n": 2}}""")));

    [Fact]
    public void Case_KeepsTheKindOfTheChosenValue()
        => Assert.IsType<ArrayValue>(Eval.Value("case(true, fromJSON('[1]'), 0)"));

    [Fact]
    public void Case_EvaluatesOnlyWhatItNeeds()
        => Assert.Equal("ok", Text(Eval.Value("case(true, 'ok', fromJSON('not json'), fromJSON('not json'), fromJSON('not json'))")));

    [Theory]
    [InlineData("case(1, 'a', 'b')")]
    [InlineData("case('true', 'a', 'b')")]
    [InlineData("case(null, 'a', 'b')")]
    public void Case_PredicateNotBoolean_IsAnEvaluationError(string expression)
    {
        var error = Eval.EvaluationError(expression, new EvaluationContext { Contexts = Eval.Contexts() });

        Assert.StartsWith("case predicate must evaluate to a boolean value. Located at position 6", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(JobStatus.Success, "true,true,false,false")]
    [InlineData(JobStatus.Failure, "false,true,true,false")]
    [InlineData(JobStatus.Cancelled, "false,true,false,true")]
    public void StatusFunctions_ReadTheJobStatus(JobStatus status, string expected)
    {
        var parsed = Eval.Parse("join(fromJSON(format('[{0},{1},{2},{3}]', success(), always(), failure(), cancelled())))");

        Assert.Equal(expected, Text(parsed.Evaluate(new EvaluationContext { Contexts = Eval.Contexts(), Status = status })));
    }

    [Fact]
    public void Filter_OnNestedArrays_FlattensOneLevelPerStar()
    {
        const string Json = """{"x": {"a": [[1, 2], [3]], "b": [[4]]}}""";

        Assert.Equal("[[1,2],[3],[4]]", Eval.Value("x.*.*", Json).ToString());
        Assert.Equal("[1,2,3,4]", Eval.Value("x.*.*.*", Json).ToString());
        Assert.Equal("[1,3,4]", Eval.Value("x.*.*[0]", Json).ToString());
        Assert.Equal("[]", Eval.Value("x.*.*.nosuch", Json).ToString());
    }

    [Fact]
    public void Filter_PropertyOfItems_SkipsItemsWithoutIt()
    {
        const string Json = """{"needs": {"build": {"result": "success"}, "test": {"result": "failure"}, "odd": {}}}""";

        Assert.Equal("""["success","failure"]""", Eval.Value("needs.*.result", Json).ToString());
        Assert.True(Eval.Value("contains(needs.*.result, 'FAILURE')", Json).IsTruthy);
    }

    [Fact]
    public void Filter_OnAPrimitive_IsAnEmptyArray()
    {
        Assert.Equal("[]", Eval.Value("x.*", """{"x": "text"}""").ToString());
        Assert.Equal("[]", Eval.Value("x[*]", """{"x": null}""").ToString());
    }

    [Theory]
    [InlineData("x[1.9]", "b")]
    [InlineData("x['1']", "b")]
    [InlineData("x[i]", "c")]
    [InlineData("x[fromJSON('2')]", "c")]
    public void Index_OnArray_UsesTheFlooredNumber(string expression, string expected)
        => Assert.Equal(expected, Text(Eval.Value(expression, """{"x": ["a", "b", "c"], "i": "2"}""")));

    [Fact]
    public void Index_WithComputedKeyOnObject_IgnoresCase()
        => Assert.Equal("v", Text(Eval.Value("x[format('{0}{1}', 'K', 'EY')]", """{"x": {"key": "v"}}""")));

    [Fact]
    public void NamedValue_AllowedButNotGiven_IsNull()
    {
        var options = new ExpressionParseOptions { AllowedContexts = ["secrets"] };
        Assert.True(ExpressionParser.TryParse("secrets.TOKEN", options, out var parsed, out _));

        Assert.Equal(ValueKind.Null, parsed.Evaluate(new EvaluationContext { Contexts = Eval.Contexts() }).Kind);
    }

    [Fact]
    public void NamedValue_InACaseSensitiveDictionary_IsFoundIgnoringCase()
    {
        var contexts = new Dictionary<string, ExpressionValue>(StringComparer.Ordinal) { ["GitHub"] = new StringValue("yes") };
        var options = new ExpressionParseOptions { AllowedContexts = ["github"] };
        Assert.True(ExpressionParser.TryParse("github", options, out var parsed, out _));

        Assert.Equal("yes", Text(parsed.Evaluate(new EvaluationContext { Contexts = contexts })));
    }

    [Fact]
    public void Evaluate_TypicalCondition_DoesNotAllocate()
    {
        var contexts = Eval.Contexts("""{"github": {"ref": "refs/heads/main", "event_name": "push"}}""");
        Assert.True(ExpressionParser.TryParseCondition("github.ref == 'refs/heads/main' && github.event_name != 'pull_request' && !cancelled()", Eval.Options(contexts), out var parsed, out _));
        var context = new EvaluationContext { Contexts = contexts };
        Assert.True(parsed.Evaluate(context).IsTruthy);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            parsed.Evaluate(context);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData("join(x, x)")]
    [InlineData("format('{0}{0}{0}', x)")]
    [InlineData("toJSON(fromJSON(format('[\"{0}\", \"{0}\"]', x)))")]
    [InlineData("x.*")]
    public void Evaluate_BuildingMoreThanMaxResultBytes_IsAnEvaluationError(string expression)
    {
        var big = string.Concat(Enumerable.Repeat("0123456789", 300));
        var items = new ArrayValue(Enumerable.Repeat<ExpressionValue>(new StringValue(big), 5));
        var contexts = new Dictionary<string, ExpressionValue>(StringComparer.OrdinalIgnoreCase) { ["x"] = expression == "x.*" ? new ArrayValue(Enumerable.Repeat(ExpressionValue.Null, 2_000)) : expression.StartsWith("join", StringComparison.Ordinal) ? items : new StringValue(big) };

        var error = Eval.EvaluationError(expression, new EvaluationContext { Contexts = contexts, MaxResultBytes = 15_000 });

        Assert.StartsWith("The maximum allowed memory size (15000 bytes) was exceeded", error.Message, StringComparison.Ordinal);
        Assert.True(Eval.Parse(expression, contexts).TryEvaluate(new EvaluationContext { Contexts = contexts }, out _, out _));
    }

    [Theory]
    [InlineData("format('{0}', 1e21)", "1E+21")]
    [InlineData("format('{0}', 0.00001)", "1E-05")]
    [InlineData("format('{0}', 123456789012345)", "123456789012345")]
    [InlineData("format('{0}', 0.1)", "0.1")]
    [InlineData("format('{0}', 1e400)", "Infinity")]
    [InlineData("format('{0} {1}', 0o777, 0xFFFFFFFFFF)", "511 1099511627775")]
    [InlineData("format('{0}', ' 1.5e1 ' == 15)", "true")]
    [InlineData("format('{1}{0}', 'a', 'b')", "ba")]
    public void Format_Numbers_UseFifteenSignificantDigits(string expression, string expected)
        => Assert.Equal(expected, Text(Eval.Value(expression)));

    [Fact]
    public void Format_UnusedArgument_IsNotEvaluated()
        => Assert.Equal("x", Text(Eval.Value("format('x', fromJSON('not json'))")));

    [Fact]
    public void FromJson_NotJson_IsAnEvaluationError()
    {
        var error = Eval.EvaluationError("fromJSON('{\"a\":')", new EvaluationContext { Contexts = Eval.Contexts() });

        Assert.StartsWith("Error parsing fromJson", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_OfStringWithControlCharacters_EscapesThem()
    {
        var value = new StringValue("a\u0001\"\\\n\t\u2028é");
        var contexts = new Dictionary<string, ExpressionValue>(StringComparer.OrdinalIgnoreCase) { ["s"] = value };

        Assert.Equal("\"a\\u0001\\\"\\\\\\n\\t\\u2028é\"", Text(Eval.Parse("toJSON(s)", contexts).Evaluate(new EvaluationContext { Contexts = contexts })));
    }

    [Theory]
    [InlineData("'ß' == 'SS'", false)]
    [InlineData("'STRASSE' == 'strasse'", true)]
    [InlineData("'a' < 'B'", true)]
    [InlineData("'Z' > 'a'", true)]
    [InlineData("'b' <= 'B'", true)]
    [InlineData("contains('Hello World', 'WORLD')", true)]
    [InlineData("contains(fromJSON('[\"A\", 1]'), 'a')", true)]
    [InlineData("contains(fromJSON('{\"a\": 1}'), 'a')", false)]
    [InlineData("startsWith(fromJSON('[]'), '')", false)]
    public void StringComparison_IsOrdinalIgnoringCase(string expression, bool expected)
        => Assert.Equal(expected, Eval.Value(expression).IsTruthy);
}
