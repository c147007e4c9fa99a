namespace Shipgate.Delivery.Rollouts;

/// <summary>
/// How a flag ramp reads and changes its flag. On a server, the environment's stored flags: each change checked, audited
/// with the reason and served from the next request on; <c>shipgate run</c> has none, so a flag ramp fails there.
/// </summary>
public interface IFlagRampControl
{
    /// <summary>The flag as it is now; null when the environment has no flag with <paramref name="key"/>.</summary>
    Task<FlagRampState?> ReadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Turns the flag on with its rollout at <paramref name="percent"/>; the refusal's sentence, or null when done.</summary>
    Task<string?> SetPercentAsync(string key, double percent, string reason, CancellationToken cancellationToken = default);

    /// <summary>Turns the flag off (every user gets its off variant); the refusal's sentence, or null when done.</summary>
    Task<string?> TurnOffAsync(string key, string reason, CancellationToken cancellationToken = default);
}

/// <summary>
/// A flag as a ramp sees it: on or off, its rollout percentage (null without a rollout rule), and its default variant,
/// which users outside the rollout get: the control that the other variants are compared with.
/// </summary>
public sealed record FlagRampState(bool Enabled, double? Percent, string ControlVariant);
