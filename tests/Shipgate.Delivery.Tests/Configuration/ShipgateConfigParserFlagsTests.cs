using System.Text.Json;
using static Shipgate.Delivery.Tests.Configuration.TestConfigs;

namespace Shipgate.Delivery.Tests.Configuration;

public sealed class ShipgateConfigParserFlagsTests
{
    private const string Environments = """
        environments:
          staging: {}
          production: {}

        """;

    private const string Checkout = """
        flags:
          new-checkout:
            type: boolean
            description: The one-page checkout
            variants: { on: true, off: false }
            default-variant: off
            off-variant: off
            rules:
              - name: beta
                targets: [alice, bob]
                variant: on
              - constraints:
                  - { context: country, operator: IN, values: [NO, SE], case-insensitive: true }
                rollout:
                  percentage: 25
                  variants: [{ name: on, weight: 1000 }]
            environments:
              production: { enabled: false }
              staging: { default-variant: on, rules: [] }

        """;

    [Fact]
    public void Parse_FlagWithRulesAndOverrides_BecomesTheLibrarysModel()
    {
        var flag = Assert.Single(Valid(Environments + Checkout).Flags);

        Assert.Equal("new-checkout", flag.Key);
        Assert.Equal(At(5, 3), flag.Location);
        Assert.Equal("boolean", flag.Definition.Type);
        Assert.True(flag.Definition.Enabled);
        Assert.Equal(JsonValueKind.True, flag.Definition.Variants!["on"].ValueKind);
        Assert.Equal(["alice", "bob"], flag.Definition.Rules![0].Targets!);
        var constraint = Assert.Single(flag.Definition.Rules[1].Constraints!);
        Assert.Equal(("country", "IN", true), (constraint.ContextName, constraint.Operator, constraint.CaseInsensitive));
        Assert.Equal(25, flag.Definition.Rules[1].Rollout!.Percentage);
        Assert.False(flag.For("production").Enabled);
        Assert.Equal(2, flag.For("production").Rules!.Count);
        Assert.Equal(("on", 0), (flag.For("STAGING").DefaultVariant, flag.For("staging").Rules!.Count));
        Assert.Same(flag.Definition, flag.For("qa"));
    }

    [Fact]
    public void Parse_ObjectAndNumberVariants_KeepTheirJsonTypes()
    {
        var flag = Assert.Single(Valid("""
            flags:
              limits:
                type: object
                variants:
                  small: { rows: 10, names: [a, "1"], label: "true" }
                default-variant: small

            """).Flags);

        Assert.Equal("""{"rows":10,"names":["a","1"],"label":"true"}""", flag.Definition.Variants!["small"].GetRawText());
    }

    [Theory]
    [InlineData("    type: boolean\n    variants: { on: true }\n    default-variant: of\n", 5, 3,
        "flags.f.defaultVariant: ")]
    [InlineData("    type: bool\n    variants: { on: true }\n    default-variant: on\n", 5, 3,
        "flags.f.type: the type is 'bool'; it must be boolean, string, number or object")]
    [InlineData("    type: string\n    variants: { a: 1 }\n    default-variant: a\n", 5, 3, "flags.f.variants.a: ")]
    [InlineData("    type: boolean\n    variants: { on: true }\n    default-variant: on\n    rules: [{ variant: on, rollout: { percentage: 5 } }]\n",
        5, 3, "flags.f.rules[0]: a rule serves either a variant or a rollout")]
    [InlineData("    type: boolean\n    variants: { on: true }\n    default-variant: on\n    rules: [{ rollout: { percentage: 101, variants: [{ name: on, weight: 1000 }] } }]\n",
        5, 3, "flags.f.rules[0].rollout.percentage: the percentage is 101; it must be between 0 and 100")]
    [InlineData("    type: boolean\n    variants: { on: true }\n    default-variant: on\n    rule: []\n", 9, 5,
        "unknown key 'rule' in 'flags.f'")]
    [InlineData("    type: boolean\n    variants: { on: true }\n    default-variant: on\n    rules: { variant: on }\n", 9, 12,
        "'flags.f.rules' must be a sequence of rules")]
    [InlineData("    type: boolean\n    variants: { on: true }\n    default-variant: on\n    environments: { staging: { enabled: nope } }\n",
        9, 41, "'flags.f.environments.staging.enabled' must be")]
    [InlineData("    type: boolean\n    variants: { on: true }\n    default-variant: on\n    environments: { staging: { default-variant: x } }\n",
        9, 21, "flags.f.environments.staging.defaultVariant: ")]
    [InlineData("    type: boolean\n    variants: { on: true }\n    default-variant: on\n    environments: { prodution: { enabled: false } }\n",
        9, 21, "flags override environment 'prodution', which 'environments' does not declare; did you mean 'production'?")]
    public void Parse_BadFlag_IsErrorAtItsPosition(string body, int line, int column, string message)
    {
        var error = SingleError(Environments.Replace("\n\n", "\n", StringComparison.Ordinal) + "flags:\n  f:\n" + body);

        Assert.Equal(At(line, column), error.Location);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ErrorsInTwoFlags_AreBothReported()
    {
        var result = Load("""
            flags:
              a: { type: boolean, variants: { on: true }, default-variant: no }
              b: { type: colour, variants: { on: true }, default-variant: on }

            """);

        Assert.Null(result.Config);
        Assert.Equal([At(2, 3), At(3, 3)], result.Diagnostics.Select(d => d.Location));
    }
}
