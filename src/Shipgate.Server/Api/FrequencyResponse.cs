namespace Shipgate.Server.Api;

/// <summary>How often deployments succeeded over the period.</summary>
public sealed record FrequencyResponse(double PerDay, double PerWeek);
