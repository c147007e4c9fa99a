namespace Shipgate.Flags.Document;

/// <summary>
/// A variant's share of a rollout, out of 1000 as in Unleash. A <c>fix</c> weight is kept; <c>variable</c> weights
/// (the default) share what the fixed ones leave, as Unleash divides them.
/// </summary>
public sealed class FlagRolloutVariant
{
    /// <summary>One of the flag's variant names.</summary>
    public string? Name { get; set; }

    /// <summary>The share out of 1000; needed for a <c>fix</c> weight, ignored for a <c>variable</c> one.</summary>
    public int? Weight { get; set; }

    /// <summary><c>fix</c> or <c>variable</c> (the default).</summary>
    public string? WeightType { get; set; }
}
