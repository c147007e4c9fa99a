using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shipgate.Flags.Document;
using Shipgate.Flags.Tests.Infrastructure;

namespace Shipgate.Flags.Tests.Unleash;

/// <summary>
/// The same configurations and users through Shipgate's evaluator and the real unleash-client: every user must get
/// the same answer (in or out, and the same variant), which checks bucketing, variant hashing and every operator.
/// </summary>
public sealed class UnleashAgreementTests
{
    private const int Users = 3000;

    private static readonly string Configuration = TestFlags.Document(
        """
        {"key":"checkout","type":"boolean","variants":{"on":true,"off":false},"defaultVariant":"off","rules":[
          {"targets":["user-1","user-7","usér-12"],"variant":"on"},
          {"constraints":[{"contextName":"email","operator":"STR_ENDS_WITH","values":["@example.org"],"caseInsensitive":true}],"variant":"on"},
          {"rollout":{"percentage":25,"variants":[{"name":"on","weight":1000,"weightType":"fix"}]}}]}
        """,
        """
        {"key":"banner","type":"string","variants":{"red":"R","green":"G","blue":"B"},"defaultVariant":"red","rules":[
          {"rollout":{"percentage":100,"groupId":"banners","variants":[
            {"name":"red","weight":200,"weightType":"fix"},{"name":"green","weight":300,"weightType":"fix"},{"name":"blue","weight":500,"weightType":"fix"}]}}]}
        """,
        """
        {"key":"limits","type":"number","variants":{"low":10,"mid":100,"high":1000},"defaultVariant":"low","rules":[
          {"constraints":[{"contextName":"age","operator":"NUM_GTE","value":"30"},{"contextName":"plan","operator":"IN","values":["pro","enterprise"]}],"variant":"high"},
          {"constraints":[{"contextName":"version","operator":"SEMVER_LT","value":"1.10.0","inverted":true}],"variant":"mid"},
          {"constraints":[{"contextName":"age","operator":"NUM_LTE","value":"20.5"},{"contextName":"appName","operator":"IN","values":["api"]}],"variant":"high"},
          {"rollout":{"percentage":50,"stickiness":"sessionId","variants":[{"name":"low","weight":500,"weightType":"fix"},{"name":"mid","weight":500,"weightType":"fix"}]}}]}
        """,
        """
        {"key":"layout","type":"object","variants":{"a":{"columns":1},"b":{"columns":2},"c":{"columns":3}},"defaultVariant":"a","rules":[
          {"constraints":[{"contextName":"currentTime","operator":"DATE_AFTER","value":"2027-02-01T00:00:00Z"},
                          {"contextName":"email","operator":"REGEX","value":"^u[0-9]*7@"}],"variant":"c"},
          {"constraints":[{"contextName":"country","operator":"NOT_IN","values":["DE","FR"]},
                          {"contextName":"email","operator":"STR_CONTAINS","values":["EXAMPLE"],"caseInsensitive":true}],
           "rollout":{"percentage":33,"stickiness":"tenant","variants":[{"name":"b","weight":100,"weightType":"fix"},{"name":"c","weight":900,"weightType":"fix"}]}},
          {"constraints":[{"contextName":"currentTime","operator":"DATE_BEFORE","value":"2027-01-01T00:00:00Z"},
                          {"contextName":"age","operator":"NUM_LT","value":"18.5","inverted":true}],
           "rollout":{"percentage":60,"stickiness":"remoteAddress","variants":[{"name":"a","weight":0,"weightType":"fix"},{"name":"b","weight":400,"weightType":"fix"},{"name":"c","weight":600,"weightType":"fix"}]}}]}
        """,
        """
        {"key":"beta","type":"string","variants":{"old":"o","new":"n","newest":"nn"},"defaultVariant":"old","rules":[
          {"constraints":[{"contextName":"version","operator":"SEMVER_GT","value":"2.0.0-beta.2"},{"contextName":"environment","operator":"IN","values":["staging"]}],"variant":"newest"},
          {"constraints":[{"contextName":"version","operator":"SEMVER_EQ","value":"1.2.3"}],"variant":"new"},
          {"constraints":[{"contextName":"version","operator":"SEMVER_GTE","value":"2.0.0"},{"contextName":"plan","operator":"IN","values":["free"]}],"variant":"newest"},
          {"constraints":[{"contextName":"version","operator":"SEMVER_LTE","value":"1.10.0-rc.1"},{"contextName":"plan","operator":"IN","values":["premium"]}],"variant":"newest"},
          {"constraints":[{"contextName":"appName","operator":"STR_STARTS_WITH","values":["AP"],"caseInsensitive":false}],"variant":"new"},
          {"constraints":[{"contextName":"plan","operator":"STR_STARTS_WITH","values":["PR"],"caseInsensitive":true,"inverted":true},
                          {"contextName":"age","operator":"NUM_GT","value":"60"}],
           "rollout":{"percentage":70,"groupId":"beta-cohort","variants":[{"name":"new","weight":250,"weightType":"fix"},{"name":"newest","weight":750,"weightType":"fix"}]}},
          {"constraints":[{"contextName":"age","operator":"NUM_EQ","value":"42"}],"rollout":{"percentage":12.5,"variants":[{"name":"newest","weight":1000,"weightType":"fix"}]}}]}
        """,
        """{"key":"dark","type":"boolean","enabled":false,"variants":{"on":true,"off":false},"defaultVariant":"on","rules":[{"targets":["user-1"],"variant":"on"}]}""",
        """{"key":"static","type":"boolean","variants":{"on":true},"defaultVariant":"on"}""",
        """{"key":"nobody","type":"boolean","variants":{"on":true,"off":false},"defaultVariant":"off","rules":[{"rollout":{"percentage":0,"variants":[{"name":"on","weight":1000,"weightType":"fix"}]}}]}""");

    [Fact]
    public async Task Evaluate_SameConfigurationsAndUsers_AgreesWithUnleashClient()
    {
        var document = JsonSerializer.Deserialize(Configuration, FlagJsonContext.Default.FlagDocument)!;
        var configuration = TestFlags.Parse(Configuration);
        var contexts = Contexts();
        var names = document.Flags!.Select(f => f.Key!).ToArray();
        var request = new JsonObject
        {
            ["features"] = new JsonArray([.. document.Flags!.Select(ToUnleashFeature)]),
            ["names"] = new JsonArray([.. names.Select(n => JsonValue.Create(n))]),
            ["contexts"] = new JsonArray([.. contexts.Select(c => c.Unleash)]),
        };

        var answers = JsonSerializer.Deserialize<JsonElement>(await UnleashClient.EvaluateAsync(request.ToJsonString()));

        var mismatches = new StringBuilder();
        var count = 0;
        var served = new Dictionary<string, int>();
        for (var f = 0; f < names.Length; f++)
        {
            for (var c = 0; c < contexts.Length; c++)
            {
                var ours = configuration.Evaluate(names[f], contexts[c].Shipgate);
                var theirs = answers[f][c];
                var expected = ours.Reason switch
                {
                    FlagReason.TargetingMatch or FlagReason.Split => (true, ours.Variant),
                    FlagReason.Static => (true, "disabled"),
                    _ => (false, "disabled"),
                };
                served[$"{names[f]} {ours.Reason} {ours.Variant}"] = served.GetValueOrDefault($"{names[f]} {ours.Reason} {ours.Variant}") + 1;
                if (expected != (theirs[0].GetBoolean(), theirs[1].GetString()) && count++ < 10)
                {
                    mismatches.AppendLine(CultureInfo.InvariantCulture,
                        $"{names[f]} for {contexts[c].Unleash.ToJsonString()}: Shipgate {ours.Reason} {ours.Variant}, unleash-client {theirs}");
                }
            }
        }

        Assert.True(count == 0, $"{count} answers differ, e.g.:{Environment.NewLine}{mismatches}");

        // The configurations exercise every branch: each rule of each flag serves someone.
        Assert.True(served.Count >= 20, string.Join(Environment.NewLine, served.Select(p => $"{p.Key}: {p.Value}")));
    }

    private static JsonObject ToUnleashFeature(FlagDefinition flag) => new()
    {
        ["name"] = flag.Key,
        ["type"] = "release",
        ["project"] = "default",
        ["enabled"] = flag.Enabled,
        ["stale"] = false,
        ["impressionData"] = false,
        ["variants"] = new JsonArray(),
        ["strategies"] = new JsonArray([.. (flag.Rules ?? []).Select(rule => ToUnleashStrategy(flag, rule))]),
    };

    // A rule is a flexible rollout strategy: targets become a userId IN constraint, a fixed variant a 100% rollout
    // with that one variant.
    private static JsonObject ToUnleashStrategy(FlagDefinition flag, FlagRule rule)
    {
        var constraints = new JsonArray([.. (rule.Constraints ?? []).Select(c => JsonSerializer.SerializeToNode(new
        {
            contextName = c.ContextName,
            @operator = c.Operator,
            values = c.Values ?? [],
            value = c.Value,
            inverted = c.Inverted,
            caseInsensitive = c.CaseInsensitive,
        }))]);
        if (rule.Targets is not null)
        {
            constraints.Add(JsonSerializer.SerializeToNode(new { contextName = "userId", @operator = "IN", values = rule.Targets }));
        }

        var stickiness = rule.Rollout?.Stickiness ?? "default";
        var variants = rule.Rollout?.Variants?.Select(v => (v.Name!, v.Weight!.Value)).ToArray() ?? [(rule.Variant!, 1000)];
        return new JsonObject
        {
            ["name"] = "flexibleRollout",
            ["constraints"] = constraints,
            ["parameters"] = new JsonObject
            {
                ["rollout"] = (rule.Rollout?.Percentage ?? 100).ToString(CultureInfo.InvariantCulture),
                ["stickiness"] = stickiness,
                ["groupId"] = rule.Rollout?.GroupId ?? flag.Key,
            },
            ["variants"] = new JsonArray([.. variants.Select(v => new JsonObject
            {
                ["name"] = v.Item1,
                ["weight"] = v.Item2,
                ["weightType"] = "fix",
                ["stickiness"] = stickiness,
            })]),
        };
    }

    private static (FlagContext Shipgate, JsonObject Unleash)[] Contexts()
    {
        var random = new Random(20261207);
        string[] plans = ["free", "pro", "enterprise", "Pro", "premium"];
        string[] domains = ["example.com", "Example.ORG", "test.io", "example.org"];
        string[] versions = ["1.2.3", "1.9.9", "1.10.0", "1.10.0-rc.1", "2.0.0-beta.2", "2.0.0-beta.11", "2.0.0", "v1.2.3", "not-a-version", "10.0.0"];
        string[] countries = ["DE", "FR", "US", "NL", ""];
        var contexts = new (FlagContext, JsonObject)[Users];
        for (var i = 0; i < Users; i++)
        {
            var unleash = new JsonObject();
            var properties = new JsonObject();
            var shipgate = new FlagContext();

            void Set(string name, string? value, bool property = false)
            {
                if (value is null)
                {
                    return;
                }

                shipgate.Set(name, value);
                (property ? properties : unleash)[name] = value;
            }

            // Mostly user ids (some not ASCII, which murmurhash3js hashes by the low byte of each UTF-16 unit), the
            // rest anonymous sessions; every context has one or the other, so no answer is random.
            var kind = random.Next(20);
            Set("userId", kind switch
            {
                0 => $"usér-{i}",
                1 => $"用户{i}",
                < 17 => $"user-{i}",
                _ => null,
            });
            Set("sessionId", kind >= 17 || random.Next(2) == 0 ? $"session-{random.Next(100_000)}" : null);
            Set("remoteAddress", $"10.{i % 256}.{i / 256}.{random.Next(256)}");
            Set("environment", random.Next(2) == 0 ? "production" : "staging");
            Set("appName", random.Next(3) switch { 0 => "web", 1 => "api", _ => "APP" });
            var time = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero).AddHours(random.Next(24 * 120));
            shipgate.CurrentTime = time;
            unleash["currentTime"] = time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            Set("plan", plans[random.Next(plans.Length)], property: true);
            Set("email", $"u{i}@{domains[random.Next(domains.Length)]}", property: true);
            Set("version", versions[random.Next(versions.Length)], property: true);
            Set("age", random.Next(5) == 0 ? $"{random.Next(90)}.5" : random.Next(90).ToString(CultureInfo.InvariantCulture), property: true);
            Set("tenant", random.Next(2) == 0 ? $"tenant-{random.Next(37)}" : null, property: true);
            Set("country", countries[random.Next(countries.Length)], property: true);
            unleash["properties"] = properties;
            contexts[i] = (shipgate, unleash);
        }

        return contexts;
    }
}
