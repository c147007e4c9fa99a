using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Shipgate.Flags.Tests.Infrastructure;

namespace Shipgate.Flags.Tests;

public sealed class FlagConfigurationTests
{
    private static FlagContext Context(string attributes)
    {
        var context = new FlagContext();
        foreach (var pair in attributes.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = (pair[..pair.IndexOf('=')], pair[(pair.IndexOf('=') + 1)..]);
            if (name == "currentTime")
            {
                context.CurrentTime = DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);
            }
            else
            {
                context.Set(name, value);
            }
        }

        return context;
    }

    private static bool Matches(string constraint, bool inverted, string attributes)
    {
        var withInversion = constraint.Replace("}", $",\"inverted\":{(inverted ? "true" : "false")}}}", StringComparison.Ordinal);
        var configuration = TestFlags.BooleanFlag($$"""{"constraints":[{{withInversion}}],"variant":"on"}""");
        var evaluation = configuration.EvaluateBoolean("f", false, Context(attributes));
        Assert.Equal(FlagErrorCode.None, evaluation.ErrorCode);
        return evaluation.Value;
    }

    // Each operator with Unleash's semantics; the test also checks that "inverted" gives the opposite answer.
    [Theory]
    [InlineData("""{"contextName":"plan","operator":"IN","values":["pro","enterprise"]}""", "plan=pro", true)]
    [InlineData("""{"contextName":"plan","operator":"IN","values":["pro"," enterprise "]}""", "plan=enterprise", true)]
    [InlineData("""{"contextName":"plan","operator":"IN","values":["pro"]}""", "plan=Pro", false)]
    [InlineData("""{"contextName":"plan","operator":"IN","values":["pro"]}""", "", false)]
    [InlineData("""{"contextName":"plan","operator":"NOT_IN","values":["pro"]}""", "plan=free", true)]
    [InlineData("""{"contextName":"plan","operator":"NOT_IN","values":["pro"]}""", "plan=pro", false)]
    [InlineData("""{"contextName":"plan","operator":"NOT_IN","values":["pro"]}""", "", true)]
    [InlineData("""{"contextName":"userId","operator":"IN","values":["alice"]}""", "targetingKey=alice", true)]
    [InlineData("""{"contextName":"environment","operator":"IN","values":["production"]}""", "environment=production", true)]
    [InlineData("""{"contextName":"appName","operator":"IN","values":["web"]}""", "appName=web", true)]
    [InlineData("""{"contextName":"sessionId","operator":"IN","values":["s1"]}""", "sessionId=s1", true)]
    [InlineData("""{"contextName":"remoteAddress","operator":"IN","values":["10.0.0.1"]}""", "remoteAddress=10.0.0.1", true)]
    [InlineData("""{"contextName":"email","operator":"STR_CONTAINS","values":["@example"]}""", "email=a@example.com", true)]
    [InlineData("""{"contextName":"email","operator":"STR_CONTAINS","values":["@EXAMPLE"]}""", "email=a@example.com", false)]
    [InlineData("""{"contextName":"email","operator":"STR_CONTAINS","values":["@EXAMPLE"],"caseInsensitive":true}""", "email=a@example.com", true)]
    [InlineData("""{"contextName":"email","operator":"STR_STARTS_WITH","values":["x","a@"]}""", "email=a@example.com", true)]
    [InlineData("""{"contextName":"email","operator":"STR_STARTS_WITH","values":["A@"],"caseInsensitive":true}""", "email=a@example.com", true)]
    [InlineData("""{"contextName":"email","operator":"STR_STARTS_WITH","values":["b@"]}""", "email=a@example.com", false)]
    [InlineData("""{"contextName":"email","operator":"STR_ENDS_WITH","values":[".com"]}""", "email=a@example.com", true)]
    [InlineData("""{"contextName":"email","operator":"STR_ENDS_WITH","values":[".COM"],"caseInsensitive":true}""", "email=a@example.com", true)]
    [InlineData("""{"contextName":"email","operator":"STR_ENDS_WITH","values":[".org"]}""", "email=a@example.com", false)]
    [InlineData("""{"contextName":"email","operator":"STR_ENDS_WITH","values":[".org"]}""", "", false)]
    [InlineData("""{"contextName":"age","operator":"NUM_EQ","value":"30"}""", "age=30.0", true)]
    [InlineData("""{"contextName":"age","operator":"NUM_EQ","value":"30"}""", "age=31", false)]
    [InlineData("""{"contextName":"age","operator":"NUM_GT","value":"30"}""", "age=31", true)]
    [InlineData("""{"contextName":"age","operator":"NUM_GT","value":"30"}""", "age=30", false)]
    [InlineData("""{"contextName":"age","operator":"NUM_GTE","value":"30"}""", "age=30", true)]
    [InlineData("""{"contextName":"age","operator":"NUM_LT","value":"30"}""", "age=-2.5", true)]
    [InlineData("""{"contextName":"age","operator":"NUM_LT","value":"30"}""", "age=30", false)]
    [InlineData("""{"contextName":"age","operator":"NUM_LTE","value":"30"}""", "age=30", true)]
    [InlineData("""{"contextName":"age","operator":"NUM_LTE","value":"30"}""", "age=thirty", false)]
    [InlineData("""{"contextName":"age","operator":"NUM_LTE","value":"30"}""", "", false)]
    [InlineData("""{"contextName":"version","operator":"SEMVER_EQ","value":"1.2.3"}""", "version=1.2.3", true)]
    [InlineData("""{"contextName":"version","operator":"SEMVER_EQ","value":"1.2.3"}""", "version=v1.2.3", false)]
    [InlineData("""{"contextName":"version","operator":"SEMVER_GT","value":"1.2.3"}""", "version=1.10.0", true)]
    [InlineData("""{"contextName":"version","operator":"SEMVER_GT","value":"1.2.3"}""", "version=1.2.3-rc.1", false)]
    [InlineData("""{"contextName":"version","operator":"SEMVER_GT","value":"2.0.0-beta.2"}""", "version=2.0.0-beta.11", true)]
    [InlineData("""{"contextName":"version","operator":"SEMVER_LT","value":"1.2.3"}""", "version=1.2.3-rc.1", true)]
    [InlineData("""{"contextName":"version","operator":"SEMVER_LT","value":"1.2.3"}""", "version=not-a-version", false)]
    [InlineData("""{"contextName":"version","operator":"SEMVER_GTE","value":"1.2.3"}""", "version=1.2.3", true)]
    [InlineData("""{"contextName":"version","operator":"SEMVER_GTE","value":"1.2.3"}""", "version=1.2.3-rc.1", false)]
    [InlineData("""{"contextName":"version","operator":"SEMVER_LTE","value":"1.2.3"}""", "version=1.2.3", true)]
    [InlineData("""{"contextName":"version","operator":"SEMVER_LTE","value":"1.2.3"}""", "version=1.2.4", false)]
    [InlineData("""{"contextName":"currentTime","operator":"DATE_AFTER","value":"2026-12-24T00:00:00Z"}""", "currentTime=2026-12-24T00:00:01Z", true)]
    [InlineData("""{"contextName":"currentTime","operator":"DATE_AFTER","value":"2026-12-24T00:00:00Z"}""", "currentTime=2026-12-24T00:00:00Z", false)]
    [InlineData("""{"contextName":"currentTime","operator":"DATE_BEFORE","value":"2026-12-24T00:00:00Z"}""", "currentTime=2026-12-23T23:59:59Z", true)]
    [InlineData("""{"contextName":"currentTime","operator":"DATE_BEFORE","value":"2026-12-24T01:00:00+01:00"}""", "currentTime=2026-12-24T00:00:00Z", false)]
    [InlineData("""{"contextName":"email","operator":"REGEX","value":"^[a-z]+@example\\.(com|org)$"}""", "email=ann@example.org", true)]
    [InlineData("""{"contextName":"email","operator":"REGEX","value":"example"}""", "email=ann@example.org", true)]
    [InlineData("""{"contextName":"email","operator":"REGEX","value":"EXAMPLE"}""", "email=ann@example.org", false)]
    [InlineData("""{"contextName":"email","operator":"REGEX","value":"EXAMPLE","caseInsensitive":true}""", "email=ann@example.org", true)]
    [InlineData("""{"contextName":"email","operator":"REGEX","value":"x"}""", "", false)]
    public void Evaluate_Operator_MatchesAsUnleashAndInvertedGivesTheOpposite(string constraint, string attributes, bool expected)
    {
        Assert.Equal(expected, Matches(constraint, inverted: false, attributes));
        Assert.Equal(!expected, Matches(constraint, inverted: true, attributes));
    }

    [Fact]
    public void Evaluate_DateWithoutCurrentTime_UsesTheConfigurationsClock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z", CultureInfo.InvariantCulture));
        var configuration = TestFlags.BooleanFlag(
            """{"constraints":[{"contextName":"currentTime","operator":"DATE_AFTER","value":"2026-12-24T00:00:00Z"}],"variant":"on"}""", time);

        Assert.False(configuration.EvaluateBoolean("f", false, new FlagContext()).Value);
        time.Advance(TimeSpan.FromDays(30));
        Assert.True(configuration.EvaluateBoolean("f", false, new FlagContext()).Value);
    }

    [Fact]
    public void Evaluate_CatastrophicBacktrackingPattern_AnswersWithoutStalling()
    {
        // The classic ReDoS pattern: a backtracking engine takes exponential time on this input; the evaluator's
        // non-backtracking engine answers in linear time, so the test finishes at all.
        var configuration = TestFlags.BooleanFlag("""{"constraints":[{"contextName":"name","operator":"REGEX","value":"^(a+)+$"}],"variant":"on"}""");
        var context = new FlagContext().Set("name", new string('a', 5000) + "!");

        Assert.False(configuration.EvaluateBoolean("f", false, context).Value);
    }

    [Fact]
    public void Evaluate_ConstraintsInOneRule_MustAllHold()
    {
        var configuration = TestFlags.BooleanFlag(
            """{"constraints":[{"contextName":"plan","operator":"IN","values":["pro"]},{"contextName":"age","operator":"NUM_GT","value":"18"}],"variant":"on"}""");

        Assert.True(configuration.EvaluateBoolean("f", false, Context("plan=pro;age=30")).Value);
        Assert.False(configuration.EvaluateBoolean("f", false, Context("plan=pro;age=10")).Value);
        Assert.False(configuration.EvaluateBoolean("f", false, Context("plan=free;age=30")).Value);
    }

    [Fact]
    public void Evaluate_Rules_FirstMatchingRuleDecides()
    {
        var configuration = TestFlags.Parse(TestFlags.Document("""
            {"key":"colour","type":"string","variants":{"red":"#f00","green":"#0f0","blue":"#00f"},"defaultVariant":"blue","rules":[
              {"targets":["alice"],"variant":"red"},
              {"constraints":[{"contextName":"plan","operator":"IN","values":["pro"]}],"variant":"green"},
              {"constraints":[{"contextName":"plan","operator":"IN","values":["pro","free"]}],"variant":"red"}]}
            """));

        Assert.Equal(
            new FlagEvaluation<string>("#f00", "red", FlagReason.TargetingMatch),
            configuration.EvaluateString("colour", "", Context("targetingKey=alice;plan=pro")));
        Assert.Equal(
            new FlagEvaluation<string>("#0f0", "green", FlagReason.TargetingMatch),
            configuration.EvaluateString("colour", "", Context("targetingKey=bob;plan=pro")));
        Assert.Equal(
            new FlagEvaluation<string>("#f00", "red", FlagReason.TargetingMatch),
            configuration.EvaluateString("colour", "", Context("plan=free")));
        Assert.Equal(
            new FlagEvaluation<string>("#00f", "blue", FlagReason.Default),
            configuration.EvaluateString("colour", "", Context("plan=other")));
        Assert.Equal(new FlagEvaluation<string>("#00f", "blue", FlagReason.Default), configuration.EvaluateString("colour", ""));
    }

    [Fact]
    public void Evaluate_IndividualTargets_MatchTheTargetingKeyExactly()
    {
        var configuration = TestFlags.BooleanFlag("""{"targets":["alice","bob"],"variant":"on"}""");

        Assert.True(configuration.EvaluateBoolean("f", false, Context("targetingKey=bob")).Value);
        Assert.False(configuration.EvaluateBoolean("f", false, Context("targetingKey=Bob")).Value);
        Assert.False(configuration.EvaluateBoolean("f", false, Context("sessionId=bob")).Value);
    }

    [Fact]
    public void Evaluate_DisabledFlag_ServesTheOffVariantWithReasonDisabled()
    {
        var configuration = TestFlags.Parse(TestFlags.Document(
            """{"key":"a","type":"boolean","enabled":false,"variants":{"on":true,"off":false},"defaultVariant":"on","offVariant":"off","rules":[{"targets":["alice"],"variant":"on"}]}""",
            """{"key":"b","type":"boolean","enabled":false,"variants":{"on":true,"off":false},"defaultVariant":"on"}"""));

        Assert.Equal(
            new FlagEvaluation<bool>(false, "off", FlagReason.Disabled),
            configuration.EvaluateBoolean("a", true, Context("targetingKey=alice")));
        Assert.Equal(new FlagEvaluation<bool>(true, "on", FlagReason.Disabled), configuration.EvaluateBoolean("b", false));
    }

    [Fact]
    public void Evaluate_FlagWithoutRules_IsStatic()
    {
        var configuration = TestFlags.Parse(TestFlags.Document(
            """{"key":"limit","type":"number","variants":{"low":10,"high":1000},"defaultVariant":"high"}"""));

        Assert.Equal(new FlagEvaluation<double>(1000, "high", FlagReason.Static), configuration.EvaluateNumber("limit", 0));
    }

    [Fact]
    public void Evaluate_ObjectFlag_GivesTheVariantsJson()
    {
        var configuration = TestFlags.Parse(TestFlags.Document(
            """{"key":"layout","type":"object","variants":{"wide":{"columns":3,"ads":false}},"defaultVariant":"wide"}"""));
        using var fallback = JsonDocument.Parse("{}");

        var evaluation = configuration.EvaluateObject("layout", fallback.RootElement);

        Assert.Equal("wide", evaluation.Variant);
        Assert.Equal(3, evaluation.Value.GetProperty("columns").GetInt32());
        Assert.Equal(FlagReason.Static, evaluation.Reason);
    }

    [Fact]
    public void Evaluate_AnyType_GivesTheValueAsJson()
    {
        var configuration = TestFlags.BooleanFlag("""{"targets":["alice"],"variant":"on"}""");

        var evaluation = configuration.Evaluate("f", Context("targetingKey=alice"));

        Assert.Equal(JsonValueKind.True, evaluation.Value.ValueKind);
        Assert.Equal(("on", FlagReason.TargetingMatch), (evaluation.Variant, evaluation.Reason));
    }

    [Fact]
    public void Evaluate_WrongType_GivesTheCallersDefaultWithTypeMismatch()
    {
        var configuration = TestFlags.BooleanFlag("""{"targets":["alice"],"variant":"on"}""");

        var evaluation = configuration.EvaluateString("f", "fallback", Context("targetingKey=alice"));

        Assert.Equal(
            new FlagEvaluation<string>("fallback", null, FlagReason.Error, FlagErrorCode.TypeMismatch, "The flag 'f' is a boolean flag."),
            evaluation);
        Assert.Equal(FlagErrorCode.TypeMismatch, configuration.EvaluateNumber("f", 1).ErrorCode);
        Assert.Equal(FlagErrorCode.TypeMismatch, configuration.EvaluateObject("f", default).ErrorCode);
    }

    [Fact]
    public void Evaluate_UnknownKey_GivesTheCallersDefaultWithFlagNotFound()
    {
        var configuration = TestFlags.BooleanFlag("""{"targets":["alice"],"variant":"on"}""");

        Assert.Equal(
            new FlagEvaluation<bool>(true, null, FlagReason.Error, FlagErrorCode.FlagNotFound, "There is no flag 'g'."),
            configuration.EvaluateBoolean("g", true));
        Assert.Equal(FlagErrorCode.FlagNotFound, configuration.Evaluate("g").ErrorCode);
    }

    [Fact]
    public void Evaluate_Rollout_IsStickyAndGivesReasonSplit()
    {
        var configuration = TestFlags.BooleanFlag("""{"rollout":{"percentage":50,"variants":[{"name":"on"}]}}""");
        var first = new Dictionary<string, FlagEvaluation<bool>>();
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 200; i++)
            {
                var evaluation = configuration.EvaluateBoolean("f", false, Context($"targetingKey=user-{i}"));
                Assert.Equal(first.TryAdd($"user-{i}", evaluation) ? evaluation : first[$"user-{i}"], evaluation);
            }
        }

        Assert.Contains(first.Values, e => e.Reason == FlagReason.Split && e.Value);
        Assert.Contains(first.Values, e => e.Reason == FlagReason.Default && !e.Value);
    }

    [Fact]
    public void Evaluate_RolloutWithNamedStickinessTheContextLacks_LeavesTheContextOut()
    {
        var configuration = TestFlags.BooleanFlag("""{"rollout":{"percentage":100,"stickiness":"tenant","variants":[{"name":"on"}]}}""");

        Assert.False(configuration.EvaluateBoolean("f", false, Context("targetingKey=alice")).Value);
        Assert.True(configuration.EvaluateBoolean("f", false, Context("targetingKey=alice;tenant=acme")).Value);
    }

    [Fact]
    public void Evaluate_RolloutAtZeroPercent_ServesNobody()
    {
        var configuration = TestFlags.BooleanFlag("""{"rollout":{"percentage":0,"variants":[{"name":"on"}]}}""");

        for (var i = 0; i < 500; i++)
        {
            Assert.False(configuration.EvaluateBoolean("f", false, Context($"targetingKey=user-{i}")).Value);
        }
    }

    [Fact]
    public void Evaluate_RandomStickiness_ServesRoughlyThePercentage()
    {
        var configuration = TestFlags.BooleanFlag("""{"rollout":{"percentage":30,"stickiness":"random","variants":[{"name":"on"}]}}""");
        var on = 0;
        for (var i = 0; i < 10_000; i++)
        {
            on += configuration.EvaluateBoolean("f", false, new FlagContext()).Value ? 1 : 0;
        }

        // 30% of 10,000 with a standard deviation of about 46: six of them either side never fails by chance.
        Assert.InRange(on, 2700, 3300);
    }

    [Fact]
    public void Evaluate_ThreeRulesAndARollout_AllocatesNothing()
    {
        var configuration = TestFlags.Parse(TestFlags.Document("""
            {"key":"f","type":"string","variants":{"a":"A","b":"B","c":"C"},"defaultVariant":"a","rules":[
              {"targets":["alice","bob"],"variant":"b"},
              {"constraints":[{"contextName":"email","operator":"STR_ENDS_WITH","values":["@example.org"],"caseInsensitive":true}],"variant":"c"},
              {"constraints":[{"contextName":"version","operator":"SEMVER_LT","value":"2.0.0"},{"contextName":"age","operator":"NUM_GTE","value":"18"}],"variant":"c"},
              {"rollout":{"percentage":50,"variants":[{"name":"b","weight":300,"weightType":"fix"},{"name":"c"}]}}]}
            """));
        var contexts = Enumerable.Range(0, 100)
            .Select(i => Context($"targetingKey=user-{i};email=u{i}@example.com;version=2.{i}.0;age={i}"))
            .ToArray();
        foreach (var context in contexts)
        {
            configuration.EvaluateString("f", "", context);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 10; round++)
        {
            foreach (var context in contexts)
            {
                configuration.EvaluateString("f", "", context);
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void FlagNames_ReasonsAndCodes_AreTheProtocolsNames()
    {
        Assert.Equal(["STATIC", "TARGETING_MATCH", "SPLIT", "DISABLED", "DEFAULT", "ERROR"], Enum.GetValues<FlagReason>().Select(FlagNames.Reason));
        Assert.Equal([null, "FLAG_NOT_FOUND", "TYPE_MISMATCH", "TARGETING_KEY_MISSING", "PARSE_ERROR", "INVALID_CONTEXT", "GENERAL"],
            Enum.GetValues<FlagErrorCode>().Select(FlagNames.ErrorCode));
    }
}
