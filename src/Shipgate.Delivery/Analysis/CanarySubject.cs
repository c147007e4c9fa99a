namespace Shipgate.Delivery.Analysis;

/// <summary>
/// What a canary analysis compares: the new release against the stable one of one service in one environment; or, for
/// a flag ramp (<see cref="Flag"/> set, both versions the release that serves), the requests that release answered with
/// the flag on against those it answered with it off.
/// </summary>
public sealed record CanarySubject(string Environment, string Service, string StableVersion, string CanaryVersion)
{
    /// <summary>The ramped flag; null for a canary of releases.</summary>
    public FlagSubject? Flag { get; init; }

    /// <summary>How sentences name the side under test: "the canary", or "the flag-on side".</summary>
    public string Side => Flag is null ? "the canary" : "the flag-on side";

    /// <summary>How sentences name the side it is compared with: "stable", or "the flag-off side".</summary>
    public string StableSide => Flag is null ? "stable" : "the flag-off side";

    /// <summary>The short label of the side under test before its numbers: "canary", or "flag on".</summary>
    public string CanaryLabel => Flag is null ? "canary" : "flag on";

    /// <summary>The short label of the other side before its numbers: "stable", or "flag off".</summary>
    public string StableLabel => Flag is null ? "stable" : "flag off";
}

/// <summary>
/// A ramped flag: the edge's counts of answers whose <c>X-Shipgate-Flags</c> named <see cref="Key"/> with
/// <see cref="ControlVariant"/> are the flag-off side; with any other variant, the flag-on side.
/// </summary>
public sealed record FlagSubject(string Key, string ControlVariant);
