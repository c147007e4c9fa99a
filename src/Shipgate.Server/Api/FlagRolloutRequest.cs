namespace Shipgate.Server.Api;

/// <summary>The percentage (0 to 100) of a flag's rollout rule.</summary>
public sealed record FlagRolloutRequest(double? Percentage);
