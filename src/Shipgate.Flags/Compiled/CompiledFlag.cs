using System.Text.Json;

namespace Shipgate.Flags.Compiled;

/// <summary>A flag ready to evaluate: variants as typed arrays (no boxing), rules in order.</summary>
internal sealed class CompiledFlag
{
    public required string Key { get; init; }

    public required FlagType Type { get; init; }

    public required bool Enabled { get; init; }

    public required string[] VariantNames { get; init; }

    /// <summary>Each variant's value as JSON.</summary>
    public required JsonElement[] Values { get; init; }

    public required bool[] Booleans { get; init; }

    public required string?[] Strings { get; init; }

    public required double[] Numbers { get; init; }

    public required int DefaultVariant { get; init; }

    public required int OffVariant { get; init; }

    public required CompiledRule[] Rules { get; init; }

    /// <summary>The variant index the context gets and why.</summary>
    public int Resolve(FlagContext context, TimeProvider time, Random random, out FlagReason reason)
    {
        if (!Enabled)
        {
            reason = FlagReason.Disabled;
            return OffVariant;
        }

        if (Rules.Length == 0)
        {
            reason = FlagReason.Static;
            return DefaultVariant;
        }

        foreach (var rule in Rules)
        {
            if (rule.TryMatch(context, time, random, out var variant, out reason))
            {
                return variant;
            }
        }

        reason = FlagReason.Default;
        return DefaultVariant;
    }
}
