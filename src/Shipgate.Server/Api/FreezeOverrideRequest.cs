namespace Shipgate.Server.Api;

/// <summary>An admin lets a run's deployment to <paramref name="Environment"/> through a freeze window, saying why.</summary>
public sealed record FreezeOverrideRequest(string Environment, string? Reason);
