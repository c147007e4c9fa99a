using Shipgate.Flags.Compiled;
using Shipgate.Flags.Tests.Infrastructure;

namespace Shipgate.Flags.Tests.Compiled;

public sealed class FlagCompilerTests
{
    private const string Variants = """ "variants":{"on":true,"off":false},"defaultVariant":"off" """;

    private static string Flag(string rules) => TestFlags.Document($$"""{"key":"f","type":"boolean",{{Variants}},"rules":[{{rules}}]}""");

    private static string Rollout(string variants, string percentage = "50") =>
        Flag($$$"""{"rollout":{"percentage":{{{percentage}}},"variants":[{{{variants}}}]}}""");

    [Theory]
    [InlineData("120", "$.flags[0].rules[0].rollout.percentage: the percentage is 120; it must be between 0 and 100.")]
    [InlineData("-1", "$.flags[0].rules[0].rollout.percentage: the percentage is -1; it must be between 0 and 100.")]
    public void Parse_PercentageOutsideRange_ReportsItsPath(string percentage, string expected) =>
        Assert.Equal([expected], TestFlags.Errors(Rollout("""{"name":"on","weight":1000,"weightType":"fix"}""", percentage)));

    [Fact]
    public void Parse_FixedWeightsNotAddingUpTo1000_ReportsTheSum() =>
        Assert.Equal(
            ["$.flags[0].rules[0].rollout.variants: the fixed weights add up to 900; they must add up to 1000 (100%)."],
            TestFlags.Errors(Rollout("""{"name":"on","weight":400,"weightType":"fix"},{"name":"off","weight":500,"weightType":"fix"}""")));

    [Fact]
    public void Parse_FixedWeightsOver1000WithVariableOnes_ReportsTheSum() =>
        Assert.Equal(
            ["$.flags[0].rules[0].rollout.variants: the fixed weights add up to 1100, more than 1000 (100%)."],
            TestFlags.Errors(Rollout("""{"name":"on","weight":600,"weightType":"fix"},{"name":"off","weight":500,"weightType":"fix"},{"name":"on"}""")));

    [Fact]
    public void Parse_UnknownVariantNames_ReportsEachPlace()
    {
        var json = TestFlags.Document(
            """{"key":"f","type":"boolean","variants":{"on":true,"off":false},"defaultVariant":"of","offVariant":"none","rules":[{"variant":"yes"},{"rollout":{"percentage":5,"variants":[{"name":"maybe"}]}}]}""");

        Assert.Equal(
            [
                "$.flags[0].defaultVariant: there is no variant 'of'; the flag's variants are on, off.",
                "$.flags[0].offVariant: there is no variant 'none'; the flag's variants are on, off.",
                "$.flags[0].rules[0].variant: there is no variant 'yes'; the flag's variants are on, off.",
                "$.flags[0].rules[1].rollout.variants[0].name: there is no variant 'maybe'; the flag's variants are on, off.",
            ],
            TestFlags.Errors(json));
    }

    [Theory]
    [InlineData("""{"contextName":"x","operator":"LIKE","values":["a"]}""", "$.flags[0].rules[0].constraints[0].operator: the operator is 'LIKE'; it must be one of")]
    [InlineData("""{"operator":"IN","values":["a"]}""", "$.flags[0].rules[0].constraints[0].contextName: a constraint needs a context name.")]
    [InlineData("""{"contextName":"x","operator":"IN","value":"a"}""", "$.flags[0].rules[0].constraints[0]: IN takes a non-empty list of values")]
    [InlineData("""{"contextName":"x","operator":"NUM_GT","values":["1"]}""", "$.flags[0].rules[0].constraints[0]: NUM_GT takes a single value")]
    [InlineData("""{"contextName":"x","operator":"NUM_GT","value":"ten"}""", "$.flags[0].rules[0].constraints[0].value: 'ten' is not a number.")]
    [InlineData("""{"contextName":"x","operator":"SEMVER_LT","value":"1.2"}""", "$.flags[0].rules[0].constraints[0].value: '1.2' is not a semantic version")]
    [InlineData("""{"contextName":"x","operator":"DATE_AFTER","value":"soon"}""", "$.flags[0].rules[0].constraints[0].value: 'soon' is not a date and time")]
    [InlineData("""{"contextName":"x","operator":"REGEX","value":"(unclosed"}""", "$.flags[0].rules[0].constraints[0].value: the regular expression '(unclosed' does not compile")]
    [InlineData("""{"contextName":"x","operator":"REGEX","value":"(a)\\1"}""", "$.flags[0].rules[0].constraints[0].value: the regular expression '(a)\\1' uses backreferences")]
    public void Parse_ConstraintThatDoesNotParse_ReportsItsPath(string constraint, string expectedStart)
    {
        var errors = TestFlags.Errors(Flag($$"""{"constraints":[{{constraint}}],"variant":"on"}"""));

        Assert.StartsWith(expectedStart, Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ValuesOfTheWrongType_ReportsEachVariant()
    {
        var json = TestFlags.Document(
            """{"key":"n","type":"number","variants":{"one":1,"two":"2","three":true},"defaultVariant":"one"}""",
            """{"key":"o","type":"object","variants":{"a":{"x":1},"b":3},"defaultVariant":"a"}""");

        Assert.Equal(
            [
                "$.flags[0].variants.two: the value is a string, but the flag's type is number.",
                "$.flags[0].variants.three: the value is a boolean, but the flag's type is number.",
                "$.flags[1].variants.b: the value is a number, but the flag's type is object.",
            ],
            TestFlags.Errors(json));
    }

    [Theory]
    [InlineData("""{"version":2,"flags":[]}""", "$.version: the version is 2; this evaluator reads version 1.")]
    [InlineData("""{"version":1}""", "$.flags: the document has no flags list.")]
    [InlineData("""{"version":1,"flags":[{"key":"f","type":"bool","variants":{"a":true},"defaultVariant":"a"}]}""",
        "$.flags[0].type: the type is 'bool'; it must be boolean, string, number or object.")]
    [InlineData("""{"version":1,"flags":[{"type":"boolean","variants":{"a":true},"defaultVariant":"a"}]}""", "$.flags[0].key: a flag needs a key.")]
    [InlineData("""{"version":1,"flags":[{"key":"f","type":"boolean","variants":{},"defaultVariant":"a"}]}""", "$.flags[0].variants: a flag needs at least one variant.")]
    [InlineData("""{"version":1,"flags":[{"key":"f","type":"boolean","variants":{"a":true},"defaultVariant":"a","rules":[{}]}]}""",
        "$.flags[0].rules[0]: a rule serves either a variant or a rollout, and must have exactly one of them.")]
    [InlineData("""{"version":1,"flags":[{"key":"f","type":"boolean","variants":{"a":true},"defaultVariant":"a","rules":[{"targets":[],"variant":"a"}]}]}""",
        "$.flags[0].rules[0].targets: the targets must be a non-empty list of targeting keys.")]
    [InlineData("""{"version":1,"flags":[{"key":"f","type":"boolean","variants":{"a":true},"defaultVariant":"a","rules":[{"rollout":{"variants":[{"name":"a"}]}}]}]}""",
        "$.flags[0].rules[0].rollout.percentage: a rollout needs a percentage.")]
    [InlineData("""{"version":1,"flags":[{"key":"f","type":"boolean","variants":{"a":true},"defaultVariant":"a","rules":[{"rollout":{"percentage":5}}]}]}""",
        "$.flags[0].rules[0].rollout.variants: a rollout needs at least one variant.")]
    [InlineData("""{"version":1,"flags":[{"key":"f","type":"boolean","variants":{"a":true},"defaultVariant":"a","rules":[{"rollout":{"percentage":5,"variants":[{"name":"a","weightType":"fixed"}]}}]}]}""",
        "$.flags[0].rules[0].rollout.variants[0].weightType: the weight type is 'fixed'; it must be fix or variable.")]
    public void Parse_MalformedDocument_ReportsOneSentence(string json, string expected) =>
        Assert.Equal([expected], TestFlags.Errors(json));

    [Fact]
    public void Parse_DuplicateKeys_ReportsTheSecond()
    {
        var flag = """{"key":"f","type":"boolean","variants":{"a":true},"defaultVariant":"a"}""";

        Assert.Equal(["$.flags[1].key: the key 'f' is used by an earlier flag."], TestFlags.Errors(TestFlags.Document(flag, flag)));
    }

    [Theory]
    [InlineData("""{"version":1,"flags":[""", "the JSON is malformed.")]
    [InlineData("""{"version":"1","flags":[]}""", "$.version (line 1, column 15): the value has the wrong type.")]
    [InlineData("""{"version":1,"flags":[{"key":"f","enabled":"yes"}]}""", "the value has the wrong type.")]
    [InlineData("""{"version":1,"flags":[],"flag":[]}""", "there is a property the format does not have.")]
    [InlineData("null", "$: the document is null; it must be an object like {\"version\":1,\"flags\":[]}.")]
    public void Parse_InvalidJson_ReportsOneSentenceWithoutAStackTrace(string json, string expectedEnd)
    {
        var error = Assert.Single(TestFlags.Errors(json));

        Assert.EndsWith(expectedEnd, error, StringComparison.Ordinal);
        Assert.StartsWith("$", error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ManyProblems_ReportsEveryOneAtOnce()
    {
        var json = TestFlags.Document(
            """{"key":"f","type":"boolean","variants":{"on":true,"off":false},"defaultVariant":"off","rules":[""" +
            """{"constraints":[{"contextName":"a","operator":"NUM_LT","value":"x"},{"contextName":"b","operator":"REGEX","value":"["}],"variant":"on"},""" +
            """{"rollout":{"percentage":101,"variants":[{"name":"on","weight":10,"weightType":"fix"}]}}]}""");

        Assert.Equal(4, TestFlags.Errors(json).Count);
    }

    [Fact]
    public void Parse_RegexLongerThanTheLimit_IsRefused()
    {
        var pattern = new string('a', 1001);

        Assert.Equal(
            ["$.flags[0].rules[0].constraints[0].value: the regular expression is 1001 characters long; at most 1000 are allowed."],
            TestFlags.Errors(Flag($$"""{"constraints":[{"contextName":"x","operator":"REGEX","value":"{{pattern}}"}],"variant":"on"}""")));
    }

    [Fact]
    public void Parse_DeeplyNestedVariantValue_IsOneSentence()
    {
        var nested = new string('[', 10_000) + new string(']', 10_000);
        var json = TestFlags.Document($$"""{"key":"o","type":"object","variants":{"a":{{nested}}},"defaultVariant":"a"}""");

        Assert.EndsWith("the JSON is malformed.", Assert.Single(TestFlags.Errors(json)), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EveryTruncationAndCorruptionOfAValidDocument_GivesSentencesNotExceptions()
    {
        var valid = TestFlags.Document("""
            {"key":"f","type":"string","variants":{"a":"A","b":"B"},"defaultVariant":"a","offVariant":"b","rules":[
              {"targets":["alice"],"constraints":[{"contextName":"v","operator":"SEMVER_GT","value":"1.0.0"},
                {"contextName":"r","operator":"REGEX","value":"^x+$","caseInsensitive":true}],"variant":"b"},
              {"rollout":{"percentage":50,"groupId":"g","stickiness":"tenant","variants":[{"name":"a","weight":300,"weightType":"fix"},{"name":"b"}]}}]}
            """);
        Assert.Empty(FlagConfiguration.Parse(valid).Errors);
        var random = new Random(7);
        for (var i = 0; i < valid.Length; i++)
        {
            foreach (var corrupted in new[]
            {
                valid[..i],
                valid.Remove(i, 1),
                valid.Remove(i, 1).Insert(i, ((char)random.Next(32, 127)).ToString()),
                valid.Insert(i, "null"),
            })
            {
                var result = FlagConfiguration.Parse(corrupted);
                Assert.True(result.Configuration is not null || result.Errors.Count > 0);
                Assert.All(result.Errors, e => Assert.StartsWith("$", e, StringComparison.Ordinal));
            }
        }
    }

    // Unleash divides what the fixed weights leave among the variable variants, each taking
    // round(remaining / variants left) in order (its admin UI's updateWeightEdit), so they add up to exactly 1000.
    [Theory]
    [InlineData(new[] { -1, -1, -1 }, new[] { 333, 334, 333 })]
    [InlineData(new[] { 200, -1, -1 }, new[] { 200, 400, 400 })]
    [InlineData(new[] { 1, -1, -1 }, new[] { 1, 500, 499 })]
    [InlineData(new[] { -1, 100, -1, -1 }, new[] { 300, 100, 300, 300 })]
    [InlineData(new[] { 250, 750 }, new[] { 250, 750 })]
    public void DivideWeights_VariableWeights_ShareTheRestAsUnleashDoes(int[] given, int[] expected) =>
        Assert.Equal(expected, FlagCompiler.DivideWeights([.. given.Select(w => w < 0 ? (int?)null : w)]));
}
