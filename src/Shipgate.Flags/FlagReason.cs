namespace Shipgate.Flags;

/// <summary>Why an evaluation gave its value, as OpenFeature names the reasons (<see cref="FlagNames.Reason"/>).</summary>
public enum FlagReason
{
    /// <summary>The flag is on and has no rules: everyone gets the default variant.</summary>
    Static,

    /// <summary>A rule with a fixed variant (individual targets or constraints) matched.</summary>
    TargetingMatch,

    /// <summary>A percentage rollout assigned the variant.</summary>
    Split,

    /// <summary>The flag is off.</summary>
    Disabled,

    /// <summary>No rule matched: the default variant.</summary>
    Default,

    /// <summary>The evaluation failed; the value is the caller's default and <see cref="FlagErrorCode"/> says why.</summary>
    Error,
}
