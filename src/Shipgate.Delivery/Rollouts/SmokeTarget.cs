namespace Shipgate.Delivery.Rollouts;

/// <summary>
/// Where smoke checks go: the edge's listener <see cref="BaseAddress"/>, with <see cref="Host"/> as the Host header
/// (a check's own <c>host:</c> wins) and the release pinned by <c>X-Shipgate-Version: <see cref="PinVersion"/></c> when set.
/// </summary>
public sealed record SmokeTarget(Uri BaseAddress, string Host, string? PinVersion);
