namespace Shipgate.Flags.Document;

/// <summary>
/// A targeting rule: it matches when the context's targeting key is one of <see cref="Targets"/> (when given) and every
/// constraint holds; then it serves <see cref="Variant"/>, or, with a <see cref="Rollout"/>, a sticky share of users a
/// variant chosen by weight. Exactly one of <see cref="Variant"/> and <see cref="Rollout"/> is given.
/// </summary>
public sealed class FlagRule
{
    /// <summary>Free text for people.</summary>
    public string? Name { get; set; }

    /// <summary>Individual targets: targeting keys (user ids) this rule is for.</summary>
    public List<string>? Targets { get; set; }

    /// <summary>Conditions on context attributes, all of which must hold (Unleash's operators and semantics).</summary>
    public List<FlagConstraint>? Constraints { get; set; }

    /// <summary>The variant a matching context gets.</summary>
    public string? Variant { get; set; }

    /// <summary>A percentage rollout over variants (Unleash's flexible rollout).</summary>
    public FlagRollout? Rollout { get; set; }
}
